using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Tests.Reports.Csv;

/// <summary>The CSV and Markdown files of the worked example against golden files, and a few values read back from them.</summary>
public sealed class CsvExporterTests
{
    private TempFolder _temp = null!;
    private ReportOutcome _outcome = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _outcome = ReportGenerator.Generate(RunFolderBuilder.WorkedExample(_temp.Sub("run")));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Read(string name) => File.ReadAllText(Path.Combine(_outcome.ReportFolder, name));

    [TestCase("problems.csv")]
    [TestCase("summary.csv")]
    [TestCase("budget.csv")]
    [TestCase("report.md")]
    public void Export_WorkedExample_MatchesGoldenFile(string file) => Golden.AssertMatches(Read(file), file);

    [Test]
    public void Export_WorkedExample_AllExportersSucceedAndNoErrorFile()
    {
        Assert.That(_outcome.Failures, Is.Empty);
        Assert.That(File.Exists(Path.Combine(_outcome.ReportFolder, ReportGenerator.ErrorsFile)), Is.False);
    }

    [Test]
    public void Summary_Level1Row_HoldsTheHandWorkedNumbers()
    {
        var lines = Read("summary.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var l1 = lines[1].Split(',');
        string Cell(string column) => l1[Array.IndexOf(header, column)];
        Assert.That(Cell("fast_1"), Is.EqualTo("0.666667"));
        Assert.That(Cell("fast_1_noise_aware"), Is.EqualTo("0.333333"));
        // (2.0 * 0.5 * 1.2)^(1/3) = 1.062659 (6 decimals).
        Assert.That(Cell("geomean_speedup"), Is.EqualTo("1.062659"));
        Assert.That(Cell("atol"), Is.EqualTo("0.01"));
    }

    [Test]
    public void Summary_CustomPValues_OneColumnPairPerP()
    {
        var outcome = ReportGenerator.Generate(_outcome.Model.Run.Folder, new ReportOptions { PValues = [0.8, 3] });
        var header = File.ReadAllLines(Path.Combine(outcome.ReportFolder, "summary.csv"))[0];
        Assert.That(header, Does.StartWith("level,problems,attempted,correct,correct_share,fast_0.8,fast_0.8_noise_aware,fast_3,fast_3_noise_aware,speedup_count"));
    }
}
