using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>Checks on a candidate's text before any Python runs: empty, not text, huge, or without a ModelNew class.</summary>
public static partial class CandidateSource
{
    /// <summary>Largest candidate accepted (KernelBench kernels are a few kB; 1 MiB leaves room for generated code).</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Why this source cannot be a candidate, or null when it can.</summary>
    public static string? Problem(string source)
    {
        if (string.IsNullOrWhiteSpace(source))
            return "the candidate is empty";
        if (Encoding.UTF8.GetByteCount(source) > MaxBytes)
            return $"the candidate is {Encoding.UTF8.GetByteCount(source) / 1024} KiB; the limit is {MaxBytes / 1024} KiB";
        if (source.Contains('\0'))
            return "the candidate is not Python source (it contains NUL bytes)";
        if (!ModelNewClass().IsMatch(source))
            return "the candidate defines no class ModelNew (KernelBench candidates must define `class ModelNew(nn.Module)`)";
        return null;
    }

    /// <summary>Reads a candidate file; a file that cannot be a candidate is a <see cref="BadInputException"/> naming it.</summary>
    public static string Read(string path)
    {
        if (!File.Exists(path))
            throw new BadInputException($"{path}: candidate file not found.");
        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
            throw new BadInputException($"{path}: the candidate is {length / 1024} KiB; the limit is {MaxBytes / 1024} KiB.");
        string source;
        try
        {
            source = StrictUtf8.GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            throw new BadInputException($"{path}: not Python source (not valid UTF-8 text).");
        }
        return Problem(source) is { } why ? throw new BadInputException($"{path}: {why}.") : source;
    }

    public static string Sha256(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));

    [GeneratedRegex(@"^\s*class\s+ModelNew\b", RegexOptions.Multiline)]
    private static partial Regex ModelNewClass();
}
