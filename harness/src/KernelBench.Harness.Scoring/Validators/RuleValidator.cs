namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Base of the static rules: a rule id, the severity this instance reports at, and one way to word a finding
/// (where, what, why, how to fix) so every message reads the same.
/// </summary>
public abstract class RuleValidator(string rule, FindingSeverity severity) : ICandidateValidator
{
    public string Rule { get; } = rule;

    public FindingSeverity Severity { get; } = severity;

    public IEnumerable<ValidationFinding> Validate(CandidateContext candidate) => Check(candidate, CandidateViews.Of(candidate));

    protected abstract IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source);

    protected ValidationFinding Finding(CandidateViews.Hit hit, string what, string fix) =>
        new(Rule, Severity, $"line {hit.Line}: {what} (`{Shorten(hit.Text)}`). Fix: {fix}", hit.Line);

    private static string Shorten(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }
}
