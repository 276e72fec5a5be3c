namespace KernelBench.Harness.Reports.Model;

/// <summary>One problem's outcome in a run: its best attempt (the fastest correct one, else the most advanced failure).</summary>
public sealed record ProblemRow
{
    public required ProblemKey Key { get; init; }
    public string Name { get; init; } = "";
    public string Sha256 { get; init; } = "";

    /// <summary>Status of the best attempt; "not_attempted" when the run recorded none.</summary>
    public required string BestStatus { get; init; }
    public int Attempts { get; init; }

    /// <summary>Budget seconds (see <see cref="TimedAttempt"/>) at which the first correct attempt finished.</summary>
    public double? SecondsToFirstCorrect { get; init; }
    public int? AttemptsToFirstCorrect { get; init; }

    public double? BestRuntimeMs { get; init; }
    public double? RefRuntimeMs { get; init; }
    public double? Speedup { get; init; }

    /// <summary>The torch.compile'd reference's mean, when a compile baseline was given, and the best runtime's speedup over it.</summary>
    public double? RefRuntimeCompileMs { get; init; }
    public double? SpeedupCompile { get; init; }
    /// <summary>The best speedup lower bound among the correct attempts (the noise-aware fast_p uses it).</summary>
    public double? SpeedupLower { get; init; }
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>The attempt the row's numbers come from (null when not attempted).</summary>
    public TimedAttempt? Best { get; init; }

    /// <summary>Every attempt on the budget axis, for the anytime curve.</summary>
    public IReadOnlyList<TimedAttempt> Timeline { get; init; } = [];

    public bool IsCorrect => BestStatus == "correct";
}
