using KernelBench.Harness.Store;

namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// One attempt placed on its problem's budget axis.
/// Rule: a problem's attempts are ordered by StartedAt (then chain, then index); an attempt's <see cref="BudgetSeconds"/>
/// is the sum of ChargedSeconds of every attempt of that problem up to and including it in that order (waits excluded),
/// and <see cref="AttemptNumber"/> its 1-based position. "Within a budget B" means BudgetSeconds &lt;= B.
/// </summary>
public sealed record TimedAttempt(AttemptRecord Record, int AttemptNumber, double BudgetSeconds)
{
    public bool IsCorrect => Record.Status == "correct";

    /// <summary>Point speedup: the verdict's, else reference mean / candidate mean.</summary>
    public double? Speedup => SpeedupMath.Point(Record.Verdict);

    /// <summary>Lower end of the speedup's 95% interval: reference CI lower / candidate CI upper.</summary>
    public double? SpeedupLower => SpeedupMath.Lower(Record.Verdict);

    public static IReadOnlyList<TimedAttempt> Timeline(IEnumerable<AttemptRecord> attemptsOfOneProblem)
    {
        var ordered = attemptsOfOneProblem.OrderBy(a => a.StartedAt).ThenBy(a => a.Chain).ThenBy(a => a.Index);
        var result = new List<TimedAttempt>();
        var total = 0.0;
        foreach (var a in ordered)
        {
            total += Math.Max(0, a.ChargedSeconds);
            result.Add(new TimedAttempt(a, result.Count + 1, total));
        }
        return result;
    }
}
