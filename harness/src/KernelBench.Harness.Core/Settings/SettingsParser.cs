using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelBench.Harness.Core.Settings;

/// <summary>A setting's text as given, and how to name it in a message ("--perf-trials", or "run.yaml:9:3: 'eval.perf_trials'").</summary>
public sealed record RawSetting(string Text, string Label);

/// <summary>
/// The one validator of <see cref="EvalOptions"/>: YAML and flags both hand it each setting's text, so types, ranges,
/// choices, defaults and the rules between settings are checked once, with the same words.
/// </summary>
public static class SettingsParser
{
    /// <summary>
    /// Builds the options from <paramref name="lookup"/> (null for a setting not given: its default).
    /// Throws <see cref="SettingException"/> naming the first setting at fault.
    /// </summary>
    public static EvalOptions Parse(Func<SettingInfo, RawSetting?> lookup)
    {
        var options = new EvalOptions();
        foreach (var setting in SettingInfo.All)
            if (lookup(setting) is { } raw)
                setting.Property.SetValue(options, Convert(setting, raw));
        return Checked(options, s => lookup(s)?.Label ?? s.Key);
    }

    /// <summary>The rules between settings; <paramref name="label"/> names a setting as its source does.</summary>
    public static EvalOptions Checked(EvalOptions options, Func<SettingInfo, string> label)
    {
        if (options is { TimingOrder: TimingOrder.Interleaved, TimesAlone: true })
            throw new SettingException($"{label(Named("timing_order"))} interleaved times with cuda_event or host_time, not {SettingInfo.Format(options.Timing)} ({label(Named("timing"))}).");
        return options;
    }

    private static SettingInfo Named(string key) => SettingInfo.All.Single(s => s.Key == key);

    private static object Convert(SettingInfo s, RawSetting raw)
    {
        var text = raw.Text.Trim();
        var type = s.ValueType;
        if (type == typeof(bool))
            return text switch
            {
                "true" or "True" or "yes" => true,
                "false" or "False" or "no" => false,
                _ => throw Refused(raw, "true or false"),
            };
        if (type.IsEnum)
        {
            var index = s.Choices.ToList().IndexOf(text);
            return index >= 0 ? Enum.GetValues(type).GetValue(index)! : throw Refused(raw, "one of " + string.Join(", ", s.Choices));
        }
        if (type == typeof(string))
            return s.Attribute.Pattern is { } p && !Regex.IsMatch(text, $"^(?:{p})$") ? throw Refused(raw, s.Attribute.PatternText ?? p) : text;
        var range = $"from {SettingInfo.Format(Bound(s.Attribute.Min, type))} to {SettingInfo.Format(Bound(s.Attribute.Max, type))}";
        if (type == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? InRange(d, d, s, raw, "a number " + range) : throw Refused(raw, "a number " + range);
        if (type == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                ? InRange(i, i, s, raw, "an integer " + range) : throw Refused(raw, "an integer " + range);
        if (type == typeof(long))
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                ? InRange(l, l, s, raw, "an integer " + range) : throw Refused(raw, "an integer " + range);
        throw new InvalidOperationException($"setting {s.Key}: no parser for {type.Name}");
    }

    private static object Bound(double bound, Type type) =>
        type == typeof(long) && bound >= long.MaxValue ? long.MaxValue : type == typeof(double) ? bound : (object)(long)bound;

    private static object InRange(object value, double number, SettingInfo s, RawSetting raw, string expected) =>
        number < s.Attribute.Min || number > s.Attribute.Max ? throw Refused(raw, expected) : value;

    private static SettingException Refused(RawSetting raw, string expected) =>
        new($"{raw.Label} is '{raw.Text}': expected {expected}.");
}
