using KernelBench.Harness.Cli;
using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.KernelBenchImport;
using KernelBench.Harness.Reports.Model;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Reports.KernelBenchImport;

/// <summary>KernelBench's eval_results.json in the three shapes its eval_from_generations script has written over time.</summary>
public sealed class EvalResultsImporterTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private const string Correct1 = """{"sample_id": 0, "compiled": true, "correctness": true, "metadata": {"hardware": "NVIDIA H100 80GB HBM3"}, "runtime": 1.0, "runtime_stats": {"mean": 1.0, "std": 0.1, "min": 0.9, "max": 1.3, "num_trials": 100, "hardware": "NVIDIA H100 80GB HBM3"}}""";
    private const string Wrong = """{"sample_id": 0, "compiled": true, "correctness": false, "metadata": {"correctness_issue": "Output mismatch"}, "runtime": -1.0, "runtime_stats": {}}""";
    private const string NoBuild = """{"sample_id": 0, "compiled": false, "correctness": false, "metadata": {"compilation_error": "nvcc failed"}, "runtime": -1.0, "runtime_stats": {}}""";
    private const string Correct4 = """{"sample_id": 1, "compiled": true, "correctness": true, "metadata": {}, "runtime": 4.0, "runtime_stats": {"mean": 4.0, "std": 0.0, "num_trials": 100}}""";

    private string Write(string json)
    {
        var folder = _temp.Sub("kb_run");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, EvalResultsImporter.FileName), json);
        File.WriteAllText(Path.Combine(folder, "level_2_problem_1_sample_0_kernel.py"), "# kernel");
        File.WriteAllText(_temp.Sub("baseline.json"),
            """{"level2": {"1_Conv.py": {"mean": 2.0, "std": 0.0, "num_trials": 100}, "4_Gemm.py": {"mean": 2.0, "std": 0.0, "num_trials": 100}}}""");
        return folder;
    }

    private static void AssertWorkedNumbers(RunData run)
    {
        // Level from the kernel file name; problems 1 (2.0 / 1.0 = 2x) and 4 (second sample, 2.0 / 4.0 = 0.5x) correct
        // when the best of the samples is scored (--samples best; KernelBench's sample-0 rule is tested in KernelBenchRulesTests).
        var model = ReportModel.Compute(run);
        var l2 = model.Levels.Single(l => l.Level == 2);
        Assert.That((l2.Problems, l2.Correct), Is.EqualTo((4, 2)));
        Assert.That(l2.At(1.0)!.Share, Is.EqualTo(0.25).Within(1e-12));
        Assert.That(l2.GeomeanSpeedup, Is.EqualTo(1.0).Within(1e-12));
        var statuses = model.Problems.Select(p => p.BestStatus);
        Assert.That(statuses, Is.EqualTo(new[] { "correct", "incorrect", "compile_error", "correct" }));
        Assert.That(model.Problems[0].Name, Is.EqualTo("1_Conv"));
        Assert.That(model.Info.Gpu, Is.EqualTo("NVIDIA H100 80GB HBM3"));
    }

    [Test]
    public void Read_OneResultPerProblemAndList_WorkedNumbers()
    {
        var folder = Write($$"""{"1": {{Correct1}}, "2": {{Wrong}}, "3": {{NoBuild}}, "4": [{{Wrong}}, {{Correct4}}]}""");
        AssertWorkedNumbers(RunSources.Read(folder, new ImportOptions(BaselinePath: _temp.Sub("baseline.json")) { Samples = ImportOptions.BestOfN }));
    }

    [Test]
    public void Read_MapOfSamples_WorkedNumbers()
    {
        var folder = Write($$$"""{"1": {"0": {{{Correct1}}}}, "2": {"0": {{{Wrong}}}}, "3": {"0": {{{NoBuild}}}}, "4": {"0": {{{Wrong}}}, "1": {{{Correct4}}}}}""");
        AssertWorkedNumbers(RunSources.Read(folder, new ImportOptions(BaselinePath: _temp.Sub("baseline.json")) { Samples = ImportOptions.BestOfN }));
    }

    [Test]
    public async Task KbhReport_EvalResultsFolder_WritesReportBesideIt()
    {
        var folder = Write($$"""{"1": {{Correct1}}, "2": {{Wrong}}}""");
        var console = new TestConsole();
        console.Profile.Width = 200;
        var code = await KbhApp.RunAsync(["report", folder, "--baseline", _temp.Sub("baseline.json")], console);
        Assert.That(code, Is.Zero, console.Output);
        var summary = File.ReadAllLines(Path.Combine(folder, "report", "summary.csv"));
        // The baseline lists problems 1 and 4, the file 1 and 2: 3 problems, 2 attempted, 1 correct at 2x -> 1/3.
        Assert.That(summary[1], Does.StartWith("2,3,2,1,0.333333,0.333333,0.333333,0.333333,"), "level 2: 1 of 3 correct at 2x");
    }

    [Test]
    public async Task KbhLeaderboard_ImportBesideHarnessRun_RankedInItsOwnGroup()
    {
        var kb = Write($$"""{"1": {{Correct1}}, "2": {{Wrong}}}""");
        var run = new RunFolderBuilder(_temp.Sub("harness"), RunFolderBuilder.Manifest("h", ["L2/1", "L2/2"]))
            .Attempt(2, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (2, 2, 2)).Folder;
        var outFile = _temp.Sub("lb.csv");
        var console = new TestConsole();
        console.Profile.Width = 200;
        var code = await KbhApp.RunAsync(["leaderboard", run, kb, "--baseline", _temp.Sub("baseline.json"), "--out", outFile], console);
        Assert.That(code, Is.Zero, console.Output);
        var rows = File.ReadAllLines(outFile).Skip(1).ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows.Select(r => r.Split(',')[1]).Distinct().Count(), Is.EqualTo(2), "different groups");
        Assert.That(rows, Has.Some.Contains("kb_run").And.Some.Contains("not comparable"));
    }

    [Test]
    public void Read_ResultWithItsOwnReferenceTiming_PrefersItOverTheBaseline()
    {
        // ref_runtime 3.0 in the result beats the baseline's 2.0: speedup 3.0 / 1.0.
        var withRef = Correct1.Replace("\"runtime\": 1.0,", "\"runtime\": 1.0, \"ref_runtime\": 3.0, \"ref_runtime_stats\": {\"mean\": 3.0, \"std\": 0.0, \"num_trials\": 100},");
        var folder = Write($$"""{"1": {{withRef}}}""");
        var model = ReportModel.Compute(RunSources.Read(folder, new ImportOptions(BaselinePath: _temp.Sub("baseline.json"))));
        Assert.That(model.Problems.Single(p => p.Key.Id == 1).Speedup, Is.EqualTo(3.0).Within(1e-12));
    }

    [Test]
    public void Read_NotJson_ClearError()
    {
        var folder = Write("{ broken");
        var e = Assert.Throws<ReportInputException>(() => RunSources.Read(folder));
        Assert.That(e!.Message, Does.Contain("eval_results.json").And.Contain("not a KernelBench eval_results.json"));
    }
}
