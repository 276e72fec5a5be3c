using KernelBench.Harness.Cli;
using KernelBench.Harness.Reports.Leaderboard;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Reports.Leaderboard;

/// <summary>
/// The leaderboard's comparability key and ranking (issue 23, item 5), on real run folders through the real `kbh leaderboard`.
/// </summary>
public sealed class ComparabilityTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private async Task<List<Dictionary<string, string>>> Leaderboard(params string[] runs)
    {
        var outFile = _temp.Sub("lb.csv");
        var console = new TestConsole();
        console.Profile.Width = 250;
        var code = await KbhApp.RunAsync(["leaderboard", .. runs, "--out", outFile], console);
        Assert.That(code, Is.Zero, console.Output);
        return CsvRead.Rows(outFile);
    }

    private static RunManifest Manifest(string id, Func<EvalSettings, EvalSettings>? change = null)
    {
        var m = RunFolderBuilder.Manifest(id, ["L1/1", "L1/2"]);
        return change is null ? m : m with { EvalSettings = change(m.EvalSettings!) };
    }

    [Test]
    public async Task Bf16RunAndFp32Run_SameToleranceOtherwise_NeverRankedTogetherAndTheNoteSaysWhy()
    {
        // Both 2/2 correct at 2x; only the precision differs (atol = rtol = 1e-2 in both): two groups, each rank 1.
        string Run(string id, string precision) => new RunFolderBuilder(_temp.Sub(id), Manifest(id, s => s with { Precision = precision }))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (2, 2, 2))
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (2, 2, 2)).Folder;
        var rows = (await Leaderboard(Run("fp32", "fp32"), Run("bf16", "bf16"))).Where(r => r["level"] == "1").ToList();
        Assert.That(rows.Select(r => (r["group"], r["rank"])), Is.EquivalentTo(new[] { ("1", "1"), ("2", "1") }));
        var second = rows.Single(r => r["group"] == "2");
        Assert.That(second["note"], Does.Contain($"precision {second["precision"]} vs {rows.Single(r => r["group"] == "1")["precision"]}"));
    }

    [Test]
    public async Task Ranking_NoiseAwareFast1First_PartialRunsAfterCompleteOnes()
    {
        // noisy:  L1/1 ref 1.04 (CI 0.95..1.1) / cand 1.0 (CI 0.9..1.2): point 1.04 > 1, lower 0.95 / 1.2 = 0.79;
        //         L1/2 ref 1.3 (CI 1.0..1.4) / cand 1.0 (CI 0.9..1.2):   point 1.3 > 1,  lower 1.0 / 1.2 = 0.83.
        //         point fast_1 2/2 = 1, noise-aware 0/2 = 0.
        // steady: L1/1 1.2 / 1.0 (no spread): 1.2 both ways; L1/2 0.9 / 1.0 = 0.9. point fast_1 1/2, noise-aware 1/2.
        // steady-partial: steady with L1/2 at 2.0 / 1.0 (noise-aware 2/2, the best numbers) and a torn last line: partial.
        // Order: steady (noise-aware 0.5 beats 0 although its point fast_1 is lower), noisy, then the partial run.
        var noisy = new RunFolderBuilder(_temp.Sub("noisy"), Manifest("noisy"))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1.0, 0.9, 1.2), reference: (1.04, 0.95, 1.1))
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1.0, 0.9, 1.2), reference: (1.3, 1.0, 1.4)).Folder;
        var steady = new RunFolderBuilder(_temp.Sub("steady"), Manifest("steady"))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (1.2, 1.2, 1.2))
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (0.9, 0.9, 0.9)).Folder;
        var partial = new RunFolderBuilder(_temp.Sub("partial"), Manifest("steady-partial"))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (1.2, 1.2, 1.2))
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (2, 2, 2)).Folder;
        File.AppendAllText(Path.Combine(partial, RunStore.AttemptsFile), "{\"problem_key\":\"L1/2\",\"sta");
        var rows = (await Leaderboard(partial, noisy, steady)).Where(r => r["level"] == "1").ToList();
        Assert.That(rows.Select(r => (r["run_id"], r["group"], r["rank"], r["fast_1_noise_aware"], r["fast_1"])), Is.EqualTo(new[]
        {
            ("steady", "1", "1", "0.5", "0.5"), ("noisy", "1", "2", "0", "1"), ("steady-partial", "1", "3", "1", "1"),
        }));
        Assert.That(rows[2]["partial"], Is.EqualTo("true"));
        Assert.That(rows[2]["note"], Does.Contain("partial run, ranked after the complete ones"));
    }

    [Test]
    public async Task NoiseAwareTie_PointFast1Decides()
    {
        // Both noise-aware 0 (lower bounds 0.9 / 1.2 = 0.75); a: point 1.1 > 1 (fast_1 1/2), b: point 0.95 (0/2): a first.
        string Run(string id, double refMean) => new RunFolderBuilder(_temp.Sub(id), Manifest(id))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1.0, 0.9, 1.2), reference: (refMean, 0.9, 1.2))
            .Attempt(1, 2, 0, "incorrect", 10, 0).Folder;
        var rows = (await Leaderboard(Run("b", 0.95), Run("a", 1.1))).Where(r => r["level"] == "1").ToList();
        Assert.That(rows.Select(r => (r["run_id"], r["rank"], r["fast_1"])), Is.EqualTo(new[] { ("a", "1", "0.5"), ("b", "2", "0") }));
        Assert.That(rows[1]["note"], Does.Contain("tied with rank 1 on noise-aware fast_1"));
        Assert.That(rows[0]["note"], Is.Empty);
    }

    [Test]
    public void Key_EveryPartSplitsAndIsNamed()
    {
        var k = new ComparisonKey("abc", 1e-2, 1e-2, "NVIDIA H100", "fp32", "cuda_event", "interleaved", "harness", 5, 100, "best attempt");
        var changed = new (ComparisonKey Key, string Named)[]
        {
            (k with { ProblemSetHash = "def" }, "problem set def vs abc"),
            (k with { Precision = "bf16" }, "precision bf16 vs fp32"),
            (k with { Atol = 1e-4 }, "tolerance atol 0.0001/rtol 0.01 vs atol 0.01/rtol 0.01"),
            (k with { TimingMethod = "do_bench" }, "timing method do_bench vs cuda_event"),
            (k with { TimingOrder = "separate" }, "timing order separate vs interleaved"),
            (k with { BaselineSource = "baseline file H100_Modal/baseline_time_torch.json" }, "reference times baseline file H100_Modal/baseline_time_torch.json vs harness"),
            (k with { Gpu = "NVIDIA H200" }, "GPU NVIDIA H200 vs NVIDIA H100"),
            (k with { PerfTrials = 30 }, "trials 5 correctness/30 timing vs 5 correctness/100 timing"),
            (k with { SamplePolicy = "sample 0" }, "scored sample 0 vs best attempt"),
        };
        foreach (var (key, named) in changed)
        {
            Assert.That(key, Is.Not.EqualTo(k), named);
            Assert.That(key.DifferencesFrom(k), Is.EqualTo(new[] { named }));
        }
    }
}
