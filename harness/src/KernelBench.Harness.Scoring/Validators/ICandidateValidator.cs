namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// One reward-hack rule. A validator never throws for a bad candidate: it yields findings that say what and why.
/// A new hack found in the wild is one new class behind this interface, added to <see cref="ValidatorSet"/>, and one new test.
/// </summary>
public interface ICandidateValidator
{
    /// <summary>Stable rule id, e.g. "timing_event_patch"; used in verdict flags and reasons.</summary>
    string Rule { get; }

    IEnumerable<ValidationFinding> Validate(CandidateContext candidate);
}
