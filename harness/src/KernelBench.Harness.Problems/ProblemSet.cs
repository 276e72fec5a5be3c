using System.Security.Cryptography;
using System.Text;

namespace KernelBench.Harness.Problems;

/// <summary>The problems loaded from one KernelBench folder, the files that were refused, and a hash of the whole set.</summary>
public sealed class ProblemSet
{
    public ProblemSet(string root, IReadOnlyList<Problem> problems, IReadOnlyList<ProblemLoadError> errors)
    {
        Root = root;
        Problems = problems.OrderBy(p => p.Level).ThenBy(p => p.Id).ToList();
        Errors = errors;
        Hash = ComputeHash(Problems);
    }

    /// <summary>The folder that was loaded.</summary>
    public string Root { get; }

    /// <summary>Problems ordered by level, then id.</summary>
    public IReadOnlyList<Problem> Problems { get; }

    public IReadOnlyList<ProblemLoadError> Errors { get; }

    /// <summary>SHA-256 over every problem's key and hash, in order: names the exact problem set a result was measured on.</summary>
    public string Hash { get; }

    public Problem? Find(int level, int id) => Problems.FirstOrDefault(p => p.Level == level && p.Id == id);

    /// <summary>Hash of any subset, with the same rule as <see cref="Hash"/>.</summary>
    public static string ComputeHash(IEnumerable<Problem> problems)
    {
        var text = new StringBuilder();
        foreach (var p in problems.OrderBy(p => p.Level).ThenBy(p => p.Id))
            text.Append(p.Key).Append(' ').Append(p.Sha256).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
