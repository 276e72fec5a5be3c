using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelBench.Harness.Core.Settings;

/// <summary>One setting of <see cref="EvalOptions"/> as the parser, the flags and the docs see it.</summary>
public sealed record SettingInfo(PropertyInfo Property, SettingAttribute Attribute)
{
    /// <summary>Every setting, in declaration order: read once from the model, so none can be left out anywhere.</summary>
    public static IReadOnlyList<SettingInfo> All { get; } = typeof(EvalOptions).GetProperties()
        .Select(p => p.GetCustomAttribute<SettingAttribute>() is { } a ? new SettingInfo(p, a) : null)
        .OfType<SettingInfo>().OrderBy(s => s.Property.MetadataToken).ToList();

    public string Key => Attribute.Key;

    /// <summary>The flag: -- and the key with dashes (perf_trials is --perf-trials).</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary>The property's type without Nullable.</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

    /// <summary>A bool that is false unless given: a switch on the command line (--legacy-tolerance).</summary>
    public bool IsSwitch => Property.PropertyType == typeof(bool) && !(bool)Default!;

    public object? Default => Property.GetValue(Defaults);

    private static readonly EvalOptions Defaults = new();

    /// <summary>How a value is written in YAML, on the command line and in docs (enums in snake_case).</summary>
    public static string Format(object? value) => value switch
    {
        null => "unset",
        bool b => b ? "true" : "false",
        // [JsonStringEnumMemberName("kernelbench-static")] names a value that snake_case cannot (JSON honours it too).
        Enum e => e.GetType().GetField(e.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                  ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString()),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The accepted words of an enum setting.</summary>
    public IReadOnlyList<string> Choices => ValueType.IsEnum ? Enum.GetValues(ValueType).Cast<object>().Select(Format).ToList() : [];
}
