using System.Globalization;

namespace KernelBench.Harness.Problems.Sharding;

/// <summary>
/// One share of a run split N ways: shard <see cref="Index"/> of <see cref="Count"/>, 1-based so that
/// `--shard 1/3` and a Slurm job array `--array=1-3` name the same shard.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The run folder of this shard under the run's 'out', e.g. "shard-2-of-3".</summary>
    public string FolderName => $"shard-{Index}-of-{Count}";

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>Reads "I/N" (1 ≤ I ≤ N); anything else is a <see cref="BadInputException"/> that says what is expected.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || index < 1 || index > count)
            throw new BadInputException($"--shard '{text}': expected I/N with 1 ≤ I ≤ N, e.g. 1/4.");
        return new Shard(index, count);
    }

    /// <summary>Reads a shard folder name back ("shard-2-of-3"); null when the name is not one.</summary>
    public static Shard? FromFolderName(string name)
    {
        var parts = name.Split('-');
        return parts.Length == 4 && parts[0] == "shard" && parts[2] == "of"
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
               && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && i >= 1 && i <= n
            ? new Shard(i, n)
            : null;
    }
}
