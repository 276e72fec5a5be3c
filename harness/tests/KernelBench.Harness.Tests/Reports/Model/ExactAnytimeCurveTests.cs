using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Tests.Reports.Model;

/// <summary>The plotted anytime curve: exact first-correct budgets, not minute samples.</summary>
public sealed class ExactAnytimeCurveTests
{
    private static ProblemRow Row(double? seconds) =>
        new() { Key = new ProblemKey(1, 1), BestStatus = seconds is null ? "incorrect" : "correct", SecondsToFirstCorrect = seconds };

    [Test]
    public void Compute_TwoOfFourCorrect_StepsAtTheirBudgetsAndRunsToTheRunBudget()
    {
        var rows = new[] { Row(90), Row(null), Row(30), Row(null) };
        var (xs, ys) = ExactAnytimeCurve.Compute(rows, ExactAnytimeCurve.End(rows, budgetMinutes: 5));
        Assert.That(xs, Is.EqualTo(new[] { 0, 0.5, 1.5, 5 }).Within(1e-12));
        Assert.That(ys, Is.EqualTo(new[] { 0, 25, 50, 50 }).Within(1e-12));
    }

    [Test]
    public void Compute_NoBudgetRecorded_EndsJustAfterTheLastCorrect()
    {
        Assert.That(ExactAnytimeCurve.End([Row(12), Row(null)], budgetMinutes: null), Is.EqualTo(0.2 * 1.1).Within(1e-12));
    }
}
