using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// The static reward-hack rules in one place, composed as one (as BenchmarkDotNet's CompositeValidator composes its own).
/// <see cref="Default"/> is the whole list with KernelBench's levels: code bypass, timing patch, thread injection and
/// lazy evaluation reject; PyTorch wrapping, torch ops, stream injection, precision downgrade and the backend check flag. A run config can
/// move a rule to another level, or switch it off, by rule id.
/// </summary>
public sealed class ValidatorSet : ICandidateValidator
{
    private readonly IReadOnlyList<ICandidateValidator> _validators;
    private readonly IReadOnlyDictionary<string, FindingSeverity?> _overrides;

    public ValidatorSet(IEnumerable<ICandidateValidator> validators)
        : this(validators.ToList(), new Dictionary<string, FindingSeverity?>())
    {
    }

    private ValidatorSet(IReadOnlyList<ICandidateValidator> validators, IReadOnlyDictionary<string, FindingSeverity?> overrides)
    {
        _validators = validators;
        _overrides = overrides;
    }

    public static ValidatorSet Default { get; } = new(
    [
        new CodeBypassValidator(),
        new TimingPatchValidator(),
        new ThreadInjectionValidator(),
        new LazyEvaluationValidator(),
        new PyTorchWrapValidator(),
        new TorchComputationOpsValidator(),
        new StreamInjectionValidator(),
        new PrecisionDowngradeValidator(),
        new BackendImplementationValidator(),
    ]);

    /// <summary>The set is itself a validator, so the engine takes it as one rule list among others.</summary>
    public string Rule => "validator_set";

    public IEnumerable<ValidationFinding> Validate(CandidateContext candidate) => Run(candidate);

    /// <summary>Rule ids in the order they run.</summary>
    public IReadOnlyList<string> Rules => _validators.Select(v => v.Rule).ToList();

    /// <summary>A copy where <paramref name="rule"/> reports at <paramref name="severity"/>; null switches the rule off.</summary>
    public ValidatorSet WithSeverity(string rule, FindingSeverity? severity)
    {
        if (!Rules.Contains(rule))
            throw new BadInputException($"unknown validator rule '{rule}'; known rules: {string.Join(", ", Rules)}");
        var overrides = new Dictionary<string, FindingSeverity?>(_overrides) { [rule] = severity };
        return new ValidatorSet(_validators, overrides);
    }

    /// <summary>
    /// A copy with levels from a config map such as { "torch_computation_ops": "reject", "stream_injection": "off" };
    /// an unknown rule or level is a <see cref="BadInputException"/> naming it.
    /// </summary>
    public ValidatorSet WithSeverities(IReadOnlyDictionary<string, string> levels)
    {
        var set = this;
        foreach (var (rule, level) in levels)
            set = set.WithSeverity(rule, level.Trim().ToLowerInvariant() switch
            {
                "reject" => FindingSeverity.Reject,
                "flag" => FindingSeverity.Flag,
                "off" => null,
                _ => throw new BadInputException($"validator rule '{rule}': level must be reject, flag or off, not '{level}'"),
            });
        return set;
    }

    /// <summary>Every finding of every enabled rule, at its configured severity, in rule order.</summary>
    public IReadOnlyList<ValidationFinding> Run(CandidateContext candidate)
    {
        var findings = new List<ValidationFinding>();
        foreach (var validator in _validators)
        {
            var hasOverride = _overrides.TryGetValue(validator.Rule, out var level);
            if (hasOverride && level is null)
                continue;
            foreach (var finding in validator.Validate(candidate))
                findings.Add(hasOverride ? finding with { Severity = level!.Value } : finding);
        }
        return findings;
    }
}
