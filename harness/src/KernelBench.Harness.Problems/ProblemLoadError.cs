namespace KernelBench.Harness.Problems;

/// <summary>A file that could not be taken as a problem: which file, and why.</summary>
public sealed record ProblemLoadError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
