using System.Xml.Linq;
using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Html;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Tests.Reports.Model;

/// <summary>What the plots draw, on <see cref="ShowcaseRun"/>: exact fast_p steps, a log axis an outlier cannot stretch, SVG beside PNG.</summary>
public sealed class PlotDataTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private ReportModel Showcase() => ReportModel.Compute(RunFolderReader.Read(ShowcaseRun.Write(_temp.Sub("run"))));

    [Test]
    public void FastPSteps_Level1_ExactStepsAt097And2And102()
    {
        var level1 = Showcase().Problems.Where(r => r.Key.Level == 1).ToList();
        // Level 1 correct speedups 0.97, 2.0, 102 of 3 problems; the axis is 0.5 .. 200 (see LogRange test).
        // fast_p(p) = #(speedup > p)/3: 100% below 0.97, 66.7% from 0.97 (so at p = 1 it is 2/3), 33.3% from 2, 0 from 102.
        var (p, percent) = FastPSteps.Point(level1, 0.5, 200);
        Assert.That(p, Is.EqualTo(new[] { 0.5, 0.97, 2.0, 102, 200 }).Within(1e-9));
        Assert.That(percent, Is.EqualTo(new[] { 100, 200.0 / 3, 100.0 / 3, 0, 0 }).Within(1e-9));
        // Noise-aware: lower bounds 0.96/1.02 = 0.941, 0.95/0.55 = 1.727, 1.0/0.0101 = 99.01.
        var (np, npercent) = FastPSteps.NoiseAware(level1, 0.5, 200);
        Assert.That(np, Is.EqualTo(new[] { 0.5, 0.96 / 1.02, 0.95 / 0.55, 1.0 / 0.0101, 200 }).Within(1e-9));
        Assert.That(npercent, Is.EqualTo(new[] { 100, 200.0 / 3, 100.0 / 3, 0, 0 }).Within(1e-9));
    }

    [Test]
    public void LogRange_OutlierCostsDecadesNotTheRangeBelow2x()
    {
        // 0.97 .. 102: down to 0.5 (at most 0.5), up to the next 1-2-5 value 200. On the old linear 0..20 axis 0-2x was a tenth;
        // here 0.5-2x is log(4)/log(400) = 23% of the width.
        var (lo, hi) = LogRange.For([0.97, 2.0, 102]);
        Assert.That((lo, hi), Is.EqualTo((0.5, 200.0)));
        Assert.That(Math.Log10(2 / lo) / Math.Log10(hi / lo), Is.EqualTo(Math.Log10(4) / Math.Log10(400)).Within(1e-12));
        Assert.That(LogRange.Ticks(lo, hi), Is.EqualTo(new[] { 0.5, 1, 2, 5, 10, 20, 50, 100, 200 }));
        Assert.That(LogRange.For([0.03, 1.1]), Is.EqualTo((0.02, 2.0)));
        Assert.That(LogRange.For([5000]).Hi, Is.EqualTo(LogRange.Cap), "a bogus 5000x is drawn at the 1000x edge");
        Assert.That(LogRange.For([]), Is.EqualTo((0.5, 2.0)));
    }

    [Test]
    public void Plots_PerLevelWithSvgBesidePng()
    {
        var outcome = ReportGenerator.Generate(ShowcaseRun.Write(_temp.Sub("run")));
        var plots = Path.Combine(outcome.ReportFolder, HtmlExporter.PlotsFolder);
        var names = Directory.GetFiles(plots).Select(Path.GetFileName).Order().ToList();
        string[] stems = ["accuracy_vs_attempts", "accuracy_vs_minutes", "fast_p_level1", "fast_p_level2", "fast_p_level3", "speedup_distribution"];
        Assert.That(names, Is.EqualTo(stems.SelectMany(s => new[] { s + ".png", s + ".svg" }).Order().ToList()));
        foreach (var svg in names.Where(n => n!.EndsWith(".svg")))
            Assert.That(XDocument.Load(Path.Combine(plots, svg!)).Root!.Name.LocalName, Is.EqualTo("svg"), svg);
    }

    [Test]
    public void Duration_UnderAMinuteInSeconds()
    {
        Assert.That(Format.Duration(2.4), Is.EqualTo("2.4 s"));
        Assert.That(Format.Duration(90), Is.EqualTo("1.5 min"));
        Assert.That(Format.Duration(5400), Is.EqualTo("1.50 h"));
        Assert.That(Format.Duration(null), Is.EqualTo("–"));
    }

    [Test]
    public void LineDiff_ReplacedLineAndAddedLine()
    {
        var diff = LineDiff.Compute("a\nb\nc\n", "a\nB\nc\nd\n")!;
        Assert.That(diff.Select(l => $"{l.Kind}:{l.Text}"), Is.EqualTo(new[] { "Same:a", "Removed:b", "Added:B", "Same:c", "Added:d" }));
        Assert.That(LineDiff.Compute("", "x"), Is.EqualTo(new[] { new LineDiff.Line(LineDiff.Kind.Added, "x") }));
    }

    [Test]
    public void LineDiff_TooLarge_ReturnsNull()
    {
        // 2001 x 2001 differing lines need a 2002^2 > 4,000,000 table.
        var a = string.Join('\n', Enumerable.Range(0, 2001).Select(i => $"a{i}"));
        var b = string.Join('\n', Enumerable.Range(0, 2001).Select(i => $"b{i}"));
        Assert.That(LineDiff.Compute(a, b), Is.Null);
    }
}
