namespace KernelBench.Harness.Core.Settings;

/// <summary>
/// Marks a property of <see cref="EvalOptions"/> as a setting: its YAML key (under <c>eval:</c>, or at the top of the
/// run config when <see cref="TopLevel"/>), its flag (<c>--</c> and the key with dashes) and its documentation.
/// The one parser (<see cref="SettingsParser"/>) and the flag-parity test read these, so a new setting is one
/// property and this attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string key, string description) : Attribute
{
    public string Key { get; } = key;
    public string Description { get; } = description;

    /// <summary>Smallest allowed value of a number.</summary>
    public double Min { get; init; } = double.MinValue;

    /// <summary>Largest allowed value of a number.</summary>
    public double Max { get; init; } = double.MaxValue;

    /// <summary>A regular expression a string value must match whole.</summary>
    public string? Pattern { get; init; }

    /// <summary>What <see cref="Pattern"/> means, for messages.</summary>
    public string? PatternText { get; init; }

    /// <summary>Read from the top level of a run config rather than its <c>eval:</c> section (kept where it always was).</summary>
    public bool TopLevel { get; init; }

    /// <summary>An older flag name that still works (e.g. --trials for --correctness-trials).</summary>
    public string? AliasFlag { get; init; }

    /// <summary>Changes how fast candidates are judged, never their verdicts; documented as such.</summary>
    public bool SpeedOnly { get; init; }
}
