namespace KernelBench.Harness.Tests.Support;

/// <summary>Where tests find the repository, its sample problems and the shared KernelBench data beside the checkout.</summary>
public static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SampleProblems => Path.Combine(RepoRoot, "problems");

    public static string SampleCandidates => Path.Combine(RepoRoot, "problems", "candidates");

    /// <summary>KernelBench data: $KBH_KERNELBENCH if set, else ../shared/kernelbench beside the checkout.</summary>
    public static string KernelBench =>
        Environment.GetEnvironmentVariable("KBH_KERNELBENCH") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "kernelbench"));

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KernelBench.Harness.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("KernelBench.Harness.sln not found above the test binaries.");
    }
}
