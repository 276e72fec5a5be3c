using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Html;
using KernelBench.Harness.Reports.KernelBenchImport;

namespace KernelBench.Harness.Tests.Reports.Html;

/// <summary>An import records no charged time: its budget section shows the attempts axis, not a flat line and an empty table.</summary>
public sealed class ImportBudgetTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Import_BudgetByAttemptsOnly_NoMinutesPlot()
    {
        var folder = _temp.Sub("kb_run");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, EvalResultsImporter.FileName),
            """{"1": {"sample_id": 0, "compiled": true, "correctness": true, "metadata": {}, "runtime": 1.0, "runtime_stats": {"mean": 1.0, "std": 0.0, "num_trials": 100}},""" +
            """ "4": {"sample_id": 0, "compiled": true, "correctness": false, "metadata": {}, "runtime": -1.0, "runtime_stats": {}}}""");
        File.WriteAllText(Path.Combine(folder, "level_2_problem_1_sample_0_kernel.py"), "# kernel");
        File.WriteAllText(_temp.Sub("baseline.json"),
            """{"level2": {"1_Conv.py": {"mean": 2.0, "std": 0.0, "num_trials": 100}, "4_Gemm.py": {"mean": 2.0, "std": 0.0, "num_trials": 100}}}""");
        var outcome = ReportGenerator.Generate(folder, import: new ImportOptions(BaselinePath: _temp.Sub("baseline.json")));
        Assert.That(outcome.Failures, Is.Empty);

        // Level 2 has the baseline's 2 problems; problem 1 is correct at its first (only) attempt at 2.0 / 1.0 = 2x:
        // within 1 attempt 1 of 2 correct (50%) and 1 of 2 faster than the reference (50%).
        var md = File.ReadAllText(Path.Combine(outcome.ReportFolder, "report.md"));
        Assert.That(md, Does.Contain("### Attempts per problem").And.Contain("| 2 | 1 attempt | 1 (50.0%) | 1 (50.0%) |"));
        Assert.That(md, Does.Not.Contain("### Charged minutes per problem"));
        var html = File.ReadAllText(Path.Combine(outcome.ReportFolder, HtmlExporter.FileName));
        Assert.That(html, Does.Contain("No charged time is recorded for this run, so only the attempts axis is shown."));
        var plots = Directory.GetFiles(Path.Combine(outcome.ReportFolder, HtmlExporter.PlotsFolder)).Select(Path.GetFileName).ToList();
        Assert.That(plots, Does.Contain("accuracy_vs_attempts.png").And.Not.Contain("accuracy_vs_minutes.png"));
    }
}
