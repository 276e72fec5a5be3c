using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Tests.Reports.Model;

/// <summary>The report's numbers on <see cref="RunFolderBuilder.WorkedExample"/>, worked out by hand in each test.</summary>
public sealed class ReportModelTests
{
    private const double Tol = 1e-9;
    private TempFolder _temp = null!;
    private ReportModel _model = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _model = ReportModel.Compute(RunFolderReader.Read(RunFolderBuilder.WorkedExample(_temp.Sub("run"))));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Problems_WorkedExample_BestAttemptAndTimeToFirstCorrect()
    {
        var rows = _model.Problems.ToDictionary(r => r.Key.ToString());
        Assert.That(rows.Keys, Is.EqualTo(new[] { "L1/1", "L1/2", "L1/3", "L2/1", "L2/2" }));
        // L1/1: compile_error (60 s) started first, then correct (90 s): first correct at 60 + 90 = 150 s, attempt 2.
        Assert.That(rows["L1/1"].BestStatus, Is.EqualTo("correct"));
        Assert.That(rows["L1/1"].SecondsToFirstCorrect, Is.EqualTo(150).Within(Tol));
        Assert.That(rows["L1/1"].AttemptsToFirstCorrect, Is.EqualTo(2));
        Assert.That(rows["L1/1"].Speedup, Is.EqualTo(2.0).Within(Tol));
        Assert.That(rows["L1/1"].SpeedupLower, Is.EqualTo(1.9 / 1.1).Within(Tol));
        // L1/3: the 500 s of waiting are not charged: 100 + 200 = 300 s.
        Assert.That(rows["L1/3"].SecondsToFirstCorrect, Is.EqualTo(300).Within(Tol));
        Assert.That(rows["L2/1"].BestStatus, Is.EqualTo("runtime_error"));
        Assert.That(rows["L2/2"].BestStatus, Is.EqualTo("not_attempted"));
        Assert.That(rows["L2/2"].Attempts, Is.Zero);
    }

    [Test]
    public void Levels_Level1_FastPBothWaysGeomeanMedian()
    {
        var l1 = _model.Levels.Single(l => l.Level == 1);
        Assert.That((l1.Problems, l1.Correct), Is.EqualTo((3, 3)));
        // Point speedups 2.0, 0.5, 1.2; lower bounds 1.9/1.1 = 1.727, 0.9/2.2 = 0.409, 1.0/1.1 = 0.909.
        Assert.That(l1.At(0)!.Share, Is.EqualTo(1.0).Within(Tol));
        Assert.That(l1.At(0)!.NoiseAwareShare, Is.EqualTo(1.0).Within(Tol));
        Assert.That(l1.At(1.0)!.Share, Is.EqualTo(2.0 / 3).Within(Tol));
        Assert.That(l1.At(1.0)!.NoiseAwareShare, Is.EqualTo(1.0 / 3).Within(Tol));
        Assert.That(l1.At(1.5)!.Count, Is.EqualTo(1));
        Assert.That(l1.At(1.5)!.NoiseAwareCount, Is.EqualTo(1));
        Assert.That(l1.At(2.0)!.Count, Is.Zero, "fast_p is strict: 2.0 is not above 2");
        Assert.That(l1.GeomeanSpeedup, Is.EqualTo(Math.Pow(2.0 * 0.5 * 1.2, 1.0 / 3)).Within(Tol));
        Assert.That(l1.MedianSpeedup, Is.EqualTo(1.2).Within(Tol));
    }

    [Test]
    public void Levels_AllRow_CountsUnattemptedProblemsAsFailures()
    {
        var all = _model.Overall;
        Assert.That(all.Level, Is.Null);
        Assert.That((all.Problems, all.Attempted, all.Correct), Is.EqualTo((5, 4, 3)));
        Assert.That(all.CorrectShare, Is.EqualTo(0.6).Within(Tol));
        Assert.That(all.At(1.0)!.Share, Is.EqualTo(0.4).Within(Tol));
        Assert.That(all.At(1.0)!.NoiseAwareShare, Is.EqualTo(0.2).Within(Tol));
        var l2 = _model.Levels.Single(l => l.Level == 2);
        Assert.That((l2.Correct, l2.GeomeanSpeedup, l2.MedianSpeedup), Is.EqualTo((0, (double?)null, (double?)null)));
    }

    [Test]
    public void Budget_Level1Minutes_ShareCorrectAndFast1AtEachMinute()
    {
        var points = _model.Budget.Where(p => p.Level == 1 && p.Unit == BudgetPoint.Minutes).ToList();
        // Correct at 30 s (L1/2, 0.5x), 150 s (L1/1, 2.0x), 300 s (L1/3, 1.2x); the run budget is 5 minutes.
        Assert.That(points.Select(p => p.Step), Is.EqualTo(new double[] { 1, 2, 3, 4, 5 }));
        Assert.That(points.Select(p => p.Correct), Is.EqualTo(new[] { 1, 1, 2, 2, 3 }));
        Assert.That(points.Select(p => p.Fast1), Is.EqualTo(new[] { 0, 0, 1, 1, 2 }));
        Assert.That(points[^1].CorrectShare, Is.EqualTo(1.0).Within(Tol));
    }

    [Test]
    public void Budget_AllAttempts_ShareCorrectByAttemptCount()
    {
        var points = _model.Budget.Where(p => p.Level is null && p.Unit == BudgetPoint.AttemptsUnit).ToList();
        // One attempt: only L1/2 is correct; two attempts: L1/1 and L1/3 too; out of 5 problems.
        Assert.That(points.Select(p => p.Step), Is.EqualTo(new double[] { 1, 2 }));
        Assert.That(points.Select(p => p.CorrectShare), Is.EqualTo(new[] { 0.2, 0.6 }).Within(Tol));
        Assert.That(points.Select(p => p.Fast1Share), Is.EqualTo(new[] { 0.0, 0.4 }).Within(Tol));
    }

    [Test]
    public void Problems_ParallelChainsWithRecordedClock_UseTheAgentsClock()
    {
        // Two chains side by side: chain 0 fails at 60 s then is correct at its 120 s; chain 1 is correct at its 50 s.
        // Summing all charged time in start order would put the first correct at 60 + 50 = 110 s; the recorded clock says 50 s.
        var folder = new RunFolderBuilder(_temp.Sub("parallel"), RunFolderBuilder.Manifest(keys: ["L1/1"]))
            .Attempt(1, 1, 0, "incorrect", 60, 0, chain: 0, clock: 60)
            .Attempt(1, 1, 0, "correct", 50, 0.01, chain: 1, clock: 50, cand: (1, 1, 1), reference: (2, 2, 2))
            .Attempt(1, 1, 1, "correct", 60, 1, chain: 0, clock: 120, cand: (1, 1, 1), reference: (3, 3, 3)).Folder;
        var model = ReportModel.Compute(RunFolderReader.Read(folder));
        var row = model.Problems.Single();
        Assert.That(row.SecondsToFirstCorrect, Is.EqualTo(50).Within(Tol));
        Assert.That(row.AttemptsToFirstCorrect, Is.EqualTo(2));
        Assert.That(row.Speedup, Is.EqualTo(3.0).Within(Tol), "the best correct attempt is the fastest one");
        var oneMinute = model.Budget.Single(p => p.Level == 1 && p.Unit == BudgetPoint.Minutes && p.Step == 1);
        Assert.That((oneMinute.Correct, oneMinute.Fast1), Is.EqualTo((1, 1)));
    }
}
