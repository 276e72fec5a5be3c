namespace KernelBench.Harness.Tests.Support;

/// <summary>Where tests find the repository, its sample problems and a KernelBench checkout.</summary>
public static class Paths
{
    /// <summary>Why a test that needs a KernelBench checkout is skipped when none is found.</summary>
    public const string NoKernelBench = "no KernelBench checkout: set KBH_KERNELBENCH or run scripts/setup.sh --kernelbench DIR|URL";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SampleProblems => Path.Combine(RepoRoot, "problems");

    public static string SampleCandidates => Path.Combine(RepoRoot, "problems", "candidates");

    /// <summary>
    /// The KernelBench checkout (the folder holding KernelBench/level1 ...), found in one way (docs/testing.md):
    /// $KBH_KERNELBENCH (a folder; "none" means no checkout), else .kbh/kernelbench in the repository
    /// (scripts/setup.sh --kernelbench DIR|URL), else ../shared/kernelbench beside it. When there is none, the calling
    /// test is skipped (NUnit's Ignore: NotExecuted in the TRX) with <see cref="NoKernelBench"/>; a KBH_KERNELBENCH
    /// that names a missing folder fails the test instead, since a typo must not turn into skips.
    /// </summary>
    public static string KernelBench
    {
        get
        {
            var (folder, error) = FindKernelBench();
            if (error is not null)
                Assert.Fail(error);
            if (folder is null)
                Assert.Ignore(NoKernelBench);
            return folder!;
        }
    }

    /// <summary>(folder, null) when a checkout is found, (null, null) when there is none, (null, error) for a bad KBH_KERNELBENCH.</summary>
    public static (string? Folder, string? Error) FindKernelBench()
    {
        var env = Environment.GetEnvironmentVariable("KBH_KERNELBENCH");
        if (env is { Length: > 0 })
        {
            if (env == "none")
                return (null, null);
            var full = Path.GetFullPath(env, RepoRoot);
            return IsCheckout(full)
                ? (full, null)
                : (null, $"KBH_KERNELBENCH={env}: no KernelBench checkout there (expected {Path.Combine(full, "KernelBench")}); "
                         + "unset it, or set it to \"none\" to skip the tests that need one");
        }
        foreach (var candidate in new[] { Path.Combine(RepoRoot, ".kbh", "kernelbench"), Path.Combine(RepoRoot, "..", "shared", "kernelbench") })
        {
            if (IsCheckout(candidate))
                return (Path.GetFullPath(candidate), null);
        }
        return (null, null);
    }

    private static bool IsCheckout(string folder) => Directory.Exists(Path.Combine(folder, "KernelBench"));

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KernelBench.Harness.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("KernelBench.Harness.sln not found above the test binaries.");
    }
}
