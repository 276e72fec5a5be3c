using System.Diagnostics;
using System.Text.Json;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Scoring.Cache;

/// <summary>
/// Runs a candidate through the real kbh_build_cache in a real Python with torch: a small driver installs the cache,
/// imports the candidate, runs ModelNew once and prints the cache's own stats as JSON.
/// </summary>
internal static class CacheDriver
{
    private const string Script = """
        import json, runpy, sys
        sys.path.insert(0, sys.argv[1])
        import kbh_build_cache
        kbh_build_cache.install(sys.argv[2])
        ns = runpy.run_path(sys.argv[3])
        import torch
        out = ns["ModelNew"]()(torch.ones(2, 3))
        print(json.dumps({"stats": kbh_build_cache.stats(), "out": out.tolist()}))
        """;

    public static string SampleCandidate => Path.Combine(Paths.SampleCandidates, "correct", "level1", "1.py");

    /// <summary>$KBH_PYTHON, else /usr/bin/python3, if it imports torch; otherwise the test is ignored with the reason.</summary>
    public static string Python()
    {
        var python = Environment.GetEnvironmentVariable("KBH_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";
        if (!File.Exists(python))
            Assert.Ignore($"{python} not found; set KBH_PYTHON to a Python with torch");
        using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import torch"]) { RedirectStandardError = true })!;
        probe.WaitForExit();
        if (probe.ExitCode != 0)
            Assert.Ignore($"{python} cannot import torch; set KBH_PYTHON to a Python with torch");
        return python;
    }

    public static Process Start(string cacheRoot, string candidate)
    {
        var script = Path.Combine(Path.GetTempPath(), "kbh-cache-driver.py");
        File.WriteAllText(script, Script);
        var info = new ProcessStartInfo(Python(), [script, Path.Combine(Paths.RepoRoot, "harness", "worker"), cacheRoot, candidate])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(info)!;
    }

    /// <summary>Runs the driver to the end and returns the stats it printed; fails the test with stderr if it failed.</summary>
    public static async Task<JsonElement> RunAsync(string cacheRoot, string candidate)
    {
        using var process = Start(cacheRoot, candidate);
        return await FinishAsync(process);
    }

    public static async Task<JsonElement> FinishAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, await stderr);
        var result = JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]).RootElement;
        Assert.That(result.GetProperty("out")[0][0].GetDouble(), Is.EqualTo(3.0), "the cached extension computes 2x+1");
        return result.GetProperty("stats");
    }
}
