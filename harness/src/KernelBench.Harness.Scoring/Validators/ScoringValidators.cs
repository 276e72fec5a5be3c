namespace KernelBench.Harness.Scoring.Validators;

/// <summary>The static reward-hack validators every command judges with (one list, so eval and run agree).</summary>
public static class ScoringValidators
{
    public static IReadOnlyList<ICandidateValidator> Default() => [ValidatorSet.Default];
}
