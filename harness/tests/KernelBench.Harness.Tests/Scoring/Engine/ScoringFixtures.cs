using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>What the slow scoring tests share: the sample problems, the candidate fixtures, a real worker's options.</summary>
internal static class ScoringFixtures
{
    /// <summary>$KBH_PYTHON, else Debian's python3 with python3-torch (the `python3` first on a PATH may lack torch).</summary>
    public static string Python { get; } = Environment.GetEnvironmentVariable("KBH_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    public static string Folder => Path.Combine(Paths.RepoRoot, "harness", "tests", "KernelBench.Harness.Tests", "Scoring", "Fixtures");

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(Folder, name));

    public static ProblemSet Samples { get; } = ProblemLoader.Load(Paths.SampleProblems);

    public static Problem Sample(int level, int id) => Samples.Find(level, id) ?? throw new InvalidOperationException($"sample L{level}/{id} missing");

    public static string SampleCandidate(string kind, int level, int id) =>
        File.ReadAllText(Path.Combine(Paths.SampleCandidates, kind, $"level{level}", $"{id}.py"));

    public static EngineOptions Options(string cacheRoot, TimeSpan checkTimeout) => new()
    {
        Settings = new EvalSettings { CorrectnessTrials = 3, PerfTrials = 5, WarmupRuns = 1, TimingMethod = "host_time", Device = "cpu" },
        Worker = new WorkerOptions { Python = Python, CacheRoot = cacheRoot, CheckTimeout = checkTimeout },
    };

    /// <summary>
    /// Runs a Python script with the worker's modules importable (argv[1] is their folder) and returns the JSON object
    /// it printed last; fails the test with its stderr when it exits non-zero.
    /// </summary>
    public static System.Text.Json.JsonElement RunWorkerScript(string source)
    {
        var script = Path.Combine(Path.GetTempPath(), $"kbh-script-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, source);
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo(Python, [script, Path.Combine(Paths.RepoRoot, "harness", "worker")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = System.Diagnostics.Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.EqualTo(0), stderr);
            return System.Text.Json.JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]).RootElement.Clone();
        }
        finally
        {
            File.Delete(script);
        }
    }

    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kbh-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
