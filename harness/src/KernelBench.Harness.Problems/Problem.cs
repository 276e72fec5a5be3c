namespace KernelBench.Harness.Problems;

/// <summary>One KernelBench problem file, as loaded: enough to name the exact version a result was measured on.</summary>
/// <param name="Level">KernelBench level, 1 to 4.</param>
/// <param name="Id">The number before the first '_' of the file name.</param>
/// <param name="Name">The file name without the id prefix and the '.py' suffix.</param>
/// <param name="Path">Full path of the file that was read.</param>
/// <param name="Source">The file's text (UTF-8).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="Definitions">Top-level names the file defines (classes, functions, constants), in source order.</param>
public sealed record Problem(
    int Level,
    int Id,
    string Name,
    string Path,
    string Source,
    string Sha256,
    IReadOnlyList<string> Definitions)
{
    /// <summary>Stable key used across the run store and reports, e.g. "L1/19".</summary>
    public string Key => $"L{Level}/{Id}";

    /// <summary>The file name as KernelBench's baseline JSON names it, e.g. "19_ReLU.py".</summary>
    public string FileName => $"{Id}_{Name}.py";
}
