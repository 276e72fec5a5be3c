using KernelBench.Harness.Store;

namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// One attempt placed on its problem's budget axis.
/// Rule: a problem's attempts are ordered by StartedAt (then chain, then index); <see cref="AttemptNumber"/> is the 1-based
/// position. <see cref="BudgetSeconds"/> is the budget clock the agent recorded (BudgetSecondsAtEnd: the charged seconds of
/// the attempt's chain so far, chains running side by side) when every attempt of the problem has it; otherwise (eval
/// folders, older runs) the sum of ChargedSeconds of the problem's attempts up to and including it in that order.
/// Waits are never charged. "Within a budget B" means BudgetSeconds &lt;= B.
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
        var ordered = attemptsOfOneProblem.OrderBy(a => a.StartedAt).ThenBy(a => a.Chain).ThenBy(a => a.Index).ToList();
        var recordedClock = ordered.All(a => a.BudgetSecondsAtEnd is not null);
        var result = new List<TimedAttempt>();
        var total = 0.0;
        foreach (var a in ordered)
        {
            total += Math.Max(0, a.ChargedSeconds);
            result.Add(new TimedAttempt(a, result.Count + 1, recordedClock ? a.BudgetSecondsAtEnd!.Value : total));
        }
        return result;
    }
}
