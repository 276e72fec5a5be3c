using KernelBench.Harness.Reports.Markdown;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Tests.Reports.Markdown;

/// <summary>report.md details that the golden file of the small worked example does not reach.</summary>
public sealed class MarkdownExporterTests
{
    [Test]
    public void Thin_ThirtyMinuteSteps_TenEvenlySpacedEndingAtTheFullBudget()
    {
        var points = Enumerable.Range(1, 30).Select(m => new BudgetPoint(1, BudgetPoint.Minutes, m, 1, 0, 0, 0, 0));
        Assert.That(MarkdownExporter.Thin(points).Select(p => p.Step), Is.EqualTo(new double[] { 3, 6, 9, 12, 15, 18, 21, 24, 27, 30 }));
    }

    [Test]
    public void Thin_FewSteps_KeepsEveryStep()
    {
        var points = Enumerable.Range(1, 5).Select(m => new BudgetPoint(null, BudgetPoint.Minutes, m, 1, 0, 0, 0, 0));
        Assert.That(MarkdownExporter.Thin(points).Select(p => p.Step), Is.EqualTo(new double[] { 1, 2, 3, 4, 5 }));
    }
}
