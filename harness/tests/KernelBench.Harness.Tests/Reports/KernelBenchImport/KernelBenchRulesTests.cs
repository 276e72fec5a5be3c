using KernelBench.Harness.Cli;
using KernelBench.Harness.Reports.KernelBenchImport;
using KernelBench.Harness.Tests.Support;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Reports.KernelBenchImport;

/// <summary>
/// Imports follow KernelBench's scripts/benchmark_eval_analysis.py (commit 423217d): the level's problems as the
/// denominator (missing ones are failures), sample 0 only, compile rate = compiled / level problems, fast_p = correct and
/// baseline mean / runtime &gt; p over the level's problems, geomean over correct samples. Each test writes a hand-made
/// eval_results.json and baseline file, runs the real `kbh report`, and checks the numbers worked out in its comments.
/// </summary>
public sealed class KernelBenchRulesTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string Result(int sample, bool compiled, bool correct, double runtime, string metadata = "{}") =>
        $$"""{"sample_id": {{sample}}, "compiled": {{(compiled ? "true" : "false")}}, "correctness": {{(correct ? "true" : "false")}}, "metadata": {{metadata}}, "runtime": {{runtime.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "runtime_stats": {{(runtime > 0 ? $$"""{"mean": {{runtime.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "std": 0.0, "num_trials": 100, "hardware": "NVIDIA H100 80GB HBM3"}""" : "{}")}}}""";

    // A KernelBench run folder (eval_results.json + a level-1 kernel file) and a baseline file listing problems 1..count of
    // level 1, each with mean 2.0 ms, in a folder named like KernelBench's results/timing/<hardware>/.
    private (string Folder, string Baseline) Write(string evalResults, int count, string hardware = "NVIDIA H100 80GB HBM3")
    {
        var folder = Directory.CreateDirectory(_temp.Sub("kb_run")).FullName;
        File.WriteAllText(Path.Combine(folder, EvalResultsImporter.FileName), evalResults);
        File.WriteAllText(Path.Combine(folder, "level_1_problem_1_sample_0_kernel.py"), "# kernel");
        var baseline = Path.Combine(Directory.CreateDirectory(_temp.Sub("timing/H100_Modal")).FullName, "baseline_time_torch.json");
        var entries = Enumerable.Range(1, count).Select(i => $$"""
            "{{i}}_Problem.py": {"mean": 2.0, "std": 0.0, "num_trials": 100, "hardware": "{{hardware}}", "device": "cuda:0"}
            """);
        File.WriteAllText(baseline, "{\"level1\": {" + string.Join(",", entries) + "}}");
        return (folder, baseline);
    }

    private static async Task<(int Code, string Output)> Kbh(params string[] args)
    {
        var console = new TestConsole();
        console.Profile.Width = 250;
        var code = await KbhApp.RunAsync(args, console);
        return (code, console.Output);
    }

    // The summary.csv row of a track ("all_correct" or "real_kernels") and level, as column -> cell.
    private static Dictionary<string, string> Row(string folder, string level, string track = "all_correct") =>
        CsvRead.Rows(Path.Combine(folder, "report", "summary.csv")).First(r => r["level"] == level && r["track"] == track);

    [Test]
    public async Task Item1_PartialFile_DividesByTheLevelsProblemsAndWarnsHowManyWereMissing()
    {
        // The baseline lists 5 problems; the file holds 2: problem 1 correct in 1.0 ms (2.0 / 1.0 = 2x), problem 2 incorrect.
        // KernelBench: correct 1/5 = 0.2, compiled 2/5 = 0.4, fast_1 = 1/5 = 0.2, geomean 2.0. (Dividing by the file's 2
        // problems would say 0.5 correct.) 3 problems missing.
        var (folder, baseline) = Write($$"""{"1": [{{Result(0, true, true, 1.0)}}], "2": [{{Result(0, true, false, -1)}}]}""", 5);
        var (code, output) = await Kbh("report", folder, "--baseline", baseline);
        Assert.That(code, Is.Zero, output);
        var row = Row(folder, "1");
        Assert.That((row["problems"], row["correct"], row["correct_share"]), Is.EqualTo(("5", "1", "0.2")));
        Assert.That((row["compiled"], row["compiled_share"]), Is.EqualTo(("2", "0.4")));
        Assert.That((row["fast_1"], row["geomean_speedup"]), Is.EqualTo(("0.2", "2")));
        Assert.That(output, Does.Contain("warning:").And.Contain("3 of the level's 5 problems"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "report", "report.md")), Does.Contain("**Warning**: 3 of the level's 5 problems"));
        // The missing problems are rows too, named from the baseline file, as failures.
        var missing = CsvRead.Rows(Path.Combine(folder, "report", "problems.csv")).Where(p => p["best_status"] == "not_attempted");
        Assert.That(missing.Select(p => p["name"]), Is.EqualTo(new[] { "3_Problem", "4_Problem", "5_Problem" }));
    }

    private string MultiSample() =>
        // 3 problems, 2 samples each, baseline mean 2.0 ms:
        // problem 1: sample 0 correct 1.0 ms (2x), sample 1 correct 0.5 ms (4x)
        // problem 2: sample 0 incorrect,           sample 1 correct 1.25 ms (1.6x)
        // problem 3: sample 0 compile error,       sample 1 compile error
        $$"""
        {"1": [{{Result(0, true, true, 1.0)}}, {{Result(1, true, true, 0.5)}}],
         "2": [{{Result(0, true, false, -1)}}, {{Result(1, true, true, 1.25)}}],
         "3": [{{Result(0, false, false, -1)}}, {{Result(1, false, false, -1)}}]}
        """;

    [Test]
    public async Task Item2_SeveralSamples_ScoresSampleZeroByDefault()
    {
        // Sample 0: correct 1/3 = 0.333333 (problem 1), fast_1 1/3, geomean 2.0 (KernelBench's 14, not best-of-N's 16).
        var (folder, baseline) = Write(MultiSample(), 3);
        var (code, output) = await Kbh("report", folder, "--baseline", baseline);
        Assert.That(code, Is.Zero, output);
        var row = Row(folder, "1");
        Assert.That((row["correct"], row["correct_share"], row["fast_1"], row["geomean_speedup"]), Is.EqualTo(("1", "0.333333", "0.333333", "2")));
        Assert.That(row["sample_policy"], Is.EqualTo("sample 0"));
        Assert.That(output, Does.Contain("3 problems have several samples (up to 2); sample 0 is scored"));
    }

    [Test]
    public async Task Item2_SamplesBest_BestOfNAndTheReportSaysSo()
    {
        // Best of 2: problem 1 at 4x, problem 2 at 1.6x: correct 2/3 = 0.666667, fast_1 2/3, geomean sqrt(4 * 1.6) = 2.529822.
        var (folder, baseline) = Write(MultiSample(), 3);
        var (code, output) = await Kbh("report", folder, "--baseline", baseline, "--samples", "best");
        Assert.That(code, Is.Zero, output);
        var row = Row(folder, "1");
        Assert.That((row["correct"], row["correct_share"], row["fast_1"], row["geomean_speedup"]), Is.EqualTo(("2", "0.666667", "0.666667", "2.529822")));
        Assert.That(row["sample_policy"], Is.EqualTo("best of 2"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "report", "report.md")), Does.Contain("| Scored | best of 2 |"));
        Assert.That(output, Does.Contain("best of up to 2 samples per problem (--samples best)"));
    }

    [Test]
    public async Task Item3_NoBaseline_FastPNotTimedNeverZero()
    {
        // No baseline: problem 1 correct (1/2 = 0.5) but no reference time, so no speedup: every fast_p cell is empty and
        // the Markdown says "not timed", never "0.0%".
        var (folder, _) = Write($$"""{"1": [{{Result(0, true, true, 1.0)}}], "2": [{{Result(0, true, false, -1)}}]}""", 2);
        var (code, output) = await Kbh("report", folder);
        Assert.That(code, Is.Zero, output);
        var row = Row(folder, "1");
        Assert.That(row["correct_share"], Is.EqualTo("0.5"));
        Assert.That(new[] { row["fast_0"], row["fast_1"], row["fast_1_noise_aware"], row["fast_2"] }, Is.All.Empty);
        var md = File.ReadAllText(Path.Combine(folder, "report", "report.md"));
        var mdRow = md.Split('\n').First(l => l.StartsWith("| 1 | 2 |", StringComparison.Ordinal));
        var fastCells = mdRow.Split('|').Skip(5).Take(4).ToList();
        Assert.That(fastCells, Is.All.EqualTo(" not timed / not timed "), mdRow);
        Assert.That(output, Does.Contain("not timed").And.Contain("no --baseline"));
    }

    [Test]
    public async Task Item4_SettingsNeverInvented_FlagsStatusesCompileRateAndOtherGpuWarning()
    {
        // Problem 1 correct at 2.0 / 0.1 = 20x with KernelBench's excessive_speedup flag; problem 2 timed out (KernelBench
        // writes compiled=true, other_error "...TIMED OUT"); problem 3 failed to compile; problem 4 missing.
        // Compiled 2/4 = 0.5 (problems 1 and 2). The run says H200, the baseline H100: a warning.
        var excessive = """{"hardware": "NVIDIA H200", "excessive_speedup": true}""";
        var timeout = """{"other_error": "error: Evaluation TIMED OUT", "hardware": "cpu", "device": "cpu"}""";
        var (folder, baseline) = Write($$"""
            {"1": [{{Result(0, true, true, 0.1, excessive).Replace("NVIDIA H100 80GB HBM3", "NVIDIA H200")}}],
             "2": [{{Result(0, true, false, -1, timeout)}}], "3": [{{Result(0, false, false, -1, """{"compilation_error": "nvcc"}""")}}]}
            """, 4);
        var (code, output) = await Kbh("report", folder, "--baseline", baseline);
        Assert.That(code, Is.Zero, output);
        var row = Row(folder, "1");
        Assert.That((row["atol"], row["rtol"], row["precision"]), Is.EqualTo(("", "", "")), "no tolerance in the file or arguments");
        Assert.That((row["compiled"], row["compiled_share"]), Is.EqualTo(("2", "0.5")));
        Assert.That(row["timing_method"], Is.EqualTo(ImportSettings.TimingMethod));
        Assert.That(row["baseline_source"], Is.EqualTo("baseline file H100_Modal/baseline_time_torch.json (NVIDIA H100 80GB HBM3, torch version unknown)"));
        Assert.That(row["gpu"], Is.EqualTo("NVIDIA H200"));
        var problems = CsvRead.Rows(Path.Combine(folder, "report", "problems.csv"));
        Assert.That(problems.Select(p => (p["id"], p["best_status"], p["flags"])), Is.EqualTo(new[]
        {
            ("1", "correct", "excessive_speedup"), ("2", "timeout", ""), ("3", "compile_error", ""), ("4", "not_attempted", ""),
        }));
        Assert.That(output, Does.Contain("the baseline was measured on NVIDIA H100 80GB HBM3, the run on NVIDIA H200"));
        var md = File.ReadAllText(Path.Combine(folder, "report", "report.md"));
        Assert.That(md, Does.Contain("| Tolerance | unknown |").And.Contain("| Precision | unknown |").And.Contain("`excessive_speedup`:"));
        Assert.That(md, Does.Not.Contain("interleaved"));

        // Given on the command line, they are carried as given.
        (code, output) = await Kbh("report", folder, "--baseline", baseline, "--atol", "1e-4", "--rtol", "1e-4", "--precision", "fp32");
        Assert.That(code, Is.Zero, output);
        row = Row(folder, "1");
        Assert.That((row["atol"], row["rtol"], row["precision"]), Is.EqualTo(("0.0001", "0.0001", "fp32")));
    }

    [Test]
    public async Task FullLevel1_AgainstKernelBenchsPublishedBaseline_MatchesTheAnalysisScriptsArithmetic()
    {
        // The real H100_Modal baseline of level 1 (100 problems; skipped without a KernelBench checkout). Sample 0 of:
        // problems 1-20 correct at 2.5x (runtime = baseline mean / 2.5), 21-50 correct at 0.6x (mean / 0.6),
        // 51-60 not compiled, 61-100 compiled but incorrect. benchmark_eval_analysis.py would print:
        // compiled 90/100 = 0.9, correct 50/100 = 0.5; fast_0 = fast_0.5 = 50/100 = 0.5; fast_0.8 = fast_1 = fast_1.5 =
        // fast_2 = 20/100 = 0.2; geomean over the 50 correct = exp((20 ln 2.5 + 30 ln 0.6) / 50) = 1.061859.
        var baseline = Path.Combine(Paths.KernelBench, "results", "timing", "H100_Modal", "baseline_time_torch.json");
        var means = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(baseline))!["level1"]!.AsObject()
            .ToDictionary(kv => int.Parse(kv.Key.Split('_')[0]), kv => (double)kv.Value!["mean"]!);
        Assert.That(means, Has.Count.EqualTo(100));
        var entries = Enumerable.Range(1, 100).Select(id => $"\"{id}\": [" + (id switch
        {
            <= 20 => Result(0, true, true, means[id] / 2.5),
            <= 50 => Result(0, true, true, means[id] / 0.6),
            <= 60 => Result(0, false, false, -1),
            _ => Result(0, true, false, -1),
        }) + "]");
        var folder = Directory.CreateDirectory(_temp.Sub("full")).FullName;
        File.WriteAllText(Path.Combine(folder, EvalResultsImporter.FileName), "{" + string.Join(",", entries) + "}");
        var (code, output) = await Kbh("report", folder, "--level", "1", "--baseline", baseline, "-p", "0,0.5,0.8,1,1.5,2");
        Assert.That(code, Is.Zero, output);
        var row = Row(folder, "1");
        Assert.That((row["problems"], row["compiled_share"], row["correct_share"]), Is.EqualTo(("100", "0.9", "0.5")));
        Assert.That(new[] { "0", "0.5", "0.8", "1", "1.5", "2" }.Select(p => row[$"fast_{p}"]),
            Is.EqualTo(new[] { "0.5", "0.5", "0.2", "0.2", "0.2", "0.2" }));
        Assert.That(row["geomean_speedup"], Is.EqualTo("1.061859"));
        Assert.That(output, Does.Not.Contain("of the level's"), "no problem is missing");
    }
}
