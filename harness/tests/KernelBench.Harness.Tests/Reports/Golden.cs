using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Reports;

/// <summary>
/// Golden-file comparison: the expected text lives in Reports/Golden/ of the test project. Set KBH_UPDATE_GOLDEN=1 to
/// rewrite the files from the actual output (then review the diff before committing).
/// </summary>
public static class Golden
{
    public static string Folder => Path.Combine(Paths.RepoRoot, "harness", "tests", "KernelBench.Harness.Tests", "Reports", "Golden");

    public static void AssertMatches(string actual, string goldenName)
    {
        var path = Path.Combine(Folder, goldenName);
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("KBH_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(path, actual);
        }
        Assert.That(File.Exists(path), Is.True, $"golden file {path} is missing; run once with KBH_UPDATE_GOLDEN=1 and review it");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected == actual)
            return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
        Assert.Fail($"{goldenName} differs from the golden file at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}");
    }
}
