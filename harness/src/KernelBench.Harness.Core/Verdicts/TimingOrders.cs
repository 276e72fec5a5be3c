namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>How a candidate's timing relates to its reference's (<see cref="EvalSettings.TimingOrder"/>).</summary>
public static class TimingOrders
{
    /// <summary>KernelBench's: the reference timed once per problem, each candidate in a window of its own.</summary>
    public const string Separate = "separate";

    /// <summary>The reference timed again beside every candidate, trial by trial (AB BA), so drift cancels.</summary>
    public const string Interleaved = "interleaved";

    /// <summary>Interleaved, except for do_bench and kernelbench, which time one function at a time.</summary>
    public static string DefaultFor(string timingMethod) => TimingMethods.TimesAlone(timingMethod) ? Separate : Interleaved;

    public static bool IsKnown(string? order) => order is Separate or Interleaved;
}
