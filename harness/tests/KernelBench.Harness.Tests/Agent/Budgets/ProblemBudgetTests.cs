using KernelBench.Harness.Agent.Budgets;
using KernelBench.Harness.Config;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Tests.Agent.Budgets;

public sealed class ProblemBudgetTests
{
    private static AttemptRecord Done(int chain, double seconds, int tokens = 0) =>
        new() { ProblemKey = "L1/1", Status = "incorrect", Chain = chain, ChargedSeconds = seconds, CompletionTokens = tokens };

    [Test]
    public void TryReserve_EarlierAttemptsSpentTheMinutes_Refused()
    {
        var budget = new ProblemBudget(new BudgetSettings(1, null, null), [Done(0, 30), Done(0, 31)]);
        Assert.That(budget.TryReserve(0), Does.Contain("time budget"));
    }

    [Test]
    public void TryReserve_ChainsHaveTheirOwnClock_OtherChainMayStart()
    {
        var budget = new ProblemBudget(new BudgetSettings(1, null, null), [Done(0, 61), Done(1, 10)]);
        Assert.That((budget.TryReserve(0) is null, budget.TryReserve(1) is null), Is.EqualTo((false, true)));
    }

    [Test]
    public void TryReserve_AttemptsReservedAcrossChains_NeverOvershoots()
    {
        var budget = new ProblemBudget(new BudgetSettings(null, 3, null), [Done(0, 1)]);
        var granted = Enumerable.Range(0, 5).Count(i => budget.TryReserve(i % 2) is null);
        Assert.That(granted, Is.EqualTo(2));
        budget.Release(1);
        Assert.That(budget.TryReserve(0), Is.Null);
    }

    [Test]
    public void TryReserve_SeveralChains_EachTakesAtMostItsShare()
    {
        var budget = new ProblemBudget(new BudgetSettings(null, 5, null), [Done(0, 1)], chains: 2);
        // Chain 0 asks first and often: it gets its share (3 of 5, one already spent), never chain 1's.
        var chain0 = Enumerable.Range(0, 4).Count(_ => budget.TryReserve(0) is null);
        var chain1 = Enumerable.Range(0, 4).Count(_ => budget.TryReserve(1) is null);

        Assert.That((chain0, chain1), Is.EqualTo((2, 2)));
        Assert.That(budget.TryReserve(0), Does.Contain("attempt budget"));
        Assert.That(budget.Attempts, Is.EqualTo(5));
    }

    [Test]
    public void Charge_TokensSummedOverChains_TokenLimitReached()
    {
        var budget = new ProblemBudget(new BudgetSettings(null, null, 100), [Done(0, 1, 60)]);
        Assert.That(budget.TryReserve(1), Is.Null);
        budget.Charge(1, 1, 40);
        Assert.That(budget.TryReserve(0), Does.Contain("token budget"));
    }
}
