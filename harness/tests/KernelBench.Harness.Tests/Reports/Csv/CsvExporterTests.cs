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

    [Test]
    public void Problems_CompileBaseline_FillsTheTorchCompileColumnsFromTheFile()
    {
        var baseline = Path.Combine(Directory.CreateDirectory(_temp.Sub("baseline")).FullName, "baseline_time_torch_compile_inductor_default.json");
        File.WriteAllText(baseline, """
            {"level1": {"1_Problem.py": {"mean": 3.0, "std": 0.1, "num_trials": 100},
                        "2_Problem.py": {"mean": 4.0, "std": 0.1, "num_trials": 100}},
             "level2": {"1_Problem.py": {"mean": 5.0, "std": 0.1, "num_trials": 100}}}
            """);
        var options = new ReportOptions { CompileBaseline = KernelBench.Harness.Reports.KernelBenchImport.Baseline.LoadAllLevels(baseline) };
        var outcome = ReportGenerator.Generate(_outcome.Model.Run.Folder, options);

        var lines = File.ReadAllLines(Path.Combine(outcome.ReportFolder, "problems.csv"));
        var header = lines[0].Split(',');
        string Cell(int row, string column) => lines[row].Split(',')[Array.IndexOf(header, column)];
        // L1/1: best runtime 1 ms, compiled reference 3 ms -> 3x; L1/2: 2 ms against 4 ms -> 2x; L1/3 is not in the file.
        Assert.That((Cell(1, "ref_runtime_compile_ms"), Cell(1, "speedup_compile")), Is.EqualTo(("3", "3")));
        Assert.That((Cell(2, "ref_runtime_compile_ms"), Cell(2, "speedup_compile")), Is.EqualTo(("4", "2")));
        Assert.That((Cell(3, "ref_runtime_compile_ms"), Cell(3, "speedup_compile")), Is.EqualTo(("", "")));
        // L2/1 failed: its compiled reference is known, a speedup is not.
        Assert.That((Cell(4, "ref_runtime_compile_ms"), Cell(4, "speedup_compile")), Is.EqualTo(("5", "")));
        Assert.That(Cell(1, "speedup"), Is.EqualTo("2"), "the eager speedup is unchanged");
    }

    [Test]
    public void Problems_CompileBaselineThatIsNotOne_IsAClearBadInput()
    {
        var file = Path.Combine(Directory.CreateDirectory(_temp.Sub("bad")).FullName, "x.json");
        File.WriteAllText(file, "{\"hello\": 1}");
        var e = Assert.Throws<ReportInputException>(() => KernelBench.Harness.Reports.KernelBenchImport.Baseline.LoadAllLevels(file));
        Assert.That(e!.Message, Does.Contain(file).And.Contain("levelN"));
    }
}
