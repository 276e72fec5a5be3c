using System.Globalization;
using KernelBench.Harness.Core.Settings;
using YamlDotNet.RepresentationModel;

namespace KernelBench.Harness.Config;

/// <summary>
/// One YAML mapping read key by key. Every read names its key; <see cref="Finish"/> refuses keys nobody read
/// (typos), so every error carries the file, line and column of the node at fault.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly string _file;
    private readonly string _path;
    private readonly HashSet<string> _known = [];

    public YamlSection(YamlMappingNode node, string file, string path)
    {
        _node = node;
        _file = file;
        _path = path;
    }

    public bool Has(string key) => Find(key) is not null;

    public string? String(string key, bool required = false)
    {
        var node = Scalar(key, required, "a string");
        return node?.Value;
    }

    /// <summary>A scalar's text and where it is, for <see cref="SettingsParser"/>; null when absent.</summary>
    public RawSetting? Raw(string key)
    {
        var node = Scalar(key, false, "a single value");
        return node is null ? null : new RawSetting(node.Value ?? "", $"{_file}:{node.Start.Line}:{node.Start.Column}: '{Name(key)}'");
    }

    public string Choice(string key, string fallback, params string[] allowed)
    {
        var node = Scalar(key, false, "one of " + string.Join(", ", allowed));
        if (node is null)
            return fallback;
        if (!allowed.Contains(node.Value))
            throw Error(node, $"'{Name(key)}' must be one of {string.Join(", ", allowed)}, not '{node.Value}'");
        return node.Value!;
    }

    public int? Int(string key, int min, int max, bool required = false)
    {
        var node = Scalar(key, required, "an integer");
        if (node is null)
            return null;
        if (!int.TryParse(node.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw Error(node, $"'{Name(key)}' must be an integer, not '{node.Value}'");
        return InRange(node, key, value, min, max);
    }

    public long? Long(string key, long min, long max)
    {
        var node = Scalar(key, false, "an integer");
        if (node is null)
            return null;
        if (!long.TryParse(node.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw Error(node, $"'{Name(key)}' must be an integer, not '{node.Value}'");
        return InRange(node, key, value, min, max);
    }

    public double? Double(string key, double min, double max)
    {
        var node = Scalar(key, false, "a number");
        if (node is null)
            return null;
        if (!double.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw Error(node, $"'{Name(key)}' must be a number, not '{node.Value}'");
        return InRange(node, key, value, min, max);
    }

    public bool? Bool(string key)
    {
        var node = Scalar(key, false, "true or false");
        if (node is null)
            return null;
        return node.Value switch
        {
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            _ => throw Error(node, $"'{Name(key)}' must be true or false, not '{node.Value}'"),
        };
    }

    /// <summary>A list of integers, or a single integer taken as a list of one.</summary>
    public IReadOnlyList<int>? IntList(string key, int min, int max)
    {
        var node = Find(key);
        if (node is null)
            return null;
        if (node is YamlScalarNode)
            return [Int(key, min, max)!.Value];
        if (node is not YamlSequenceNode seq)
            throw Error(node, $"'{Name(key)}' must be a list of integers, e.g. [19, 23]");
        var values = new List<int>();
        foreach (var item in seq)
        {
            if (item is not YamlScalarNode s || !int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
                throw Error(item, $"'{Name(key)}' must be a list of integers, and '{(item as YamlScalarNode)?.Value ?? item.NodeType.ToString()}' is not one");
            values.Add(InRange(item, key, v, min, max));
        }
        return values;
    }

    public YamlSection? Section(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null)
            return required ? throw Missing(key) : null;
        if (node is not YamlMappingNode map)
            throw Error(node, $"'{Name(key)}' must be a mapping (key: value pairs)");
        return new YamlSection(map, _file, Name(key));
    }

    /// <summary>
    /// Declares every key this mapping may hold and refuses others at once, so a typo is reported as a typo
    /// rather than as the required key it was meant to be.
    /// </summary>
    public YamlSection Expect(params string[] keys)
    {
        _known.UnionWith(keys);
        Finish();
        return this;
    }

    /// <summary>Refuses any key that was not read: a typo must never be silently ignored.</summary>
    public void Finish()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (_known.Contains(key))
                continue;
            var hint = _known.OrderBy(k => Distance(k, key)).FirstOrDefault(k => Distance(k, key) <= 2);
            throw Error(keyNode, $"unknown key '{Name(key)}'" + (hint is null
                ? $"; expected one of {string.Join(", ", _known.Order())}"
                : $"; did you mean '{hint}'?"));
        }
    }

    public ConfigException Error(YamlNode node, string message) =>
        new($"{_file}:{node.Start.Line}:{node.Start.Column}: {message}");

    /// <summary>An error placed at the key's value when it is present, else at this mapping.</summary>
    public ConfigException ErrorAt(string key, string message) =>
        FindQuiet(key) is { } node ? Error(node, message) : new($"{_file}:{_node.Start.Line}:{_node.Start.Column}: {message}");

    public ConfigException Missing(string key) =>
        new($"{_file}:{_node.Start.Line}:{_node.Start.Column}: missing required key '{Name(key)}'");

    private YamlNode? Find(string key)
    {
        _known.Add(key);
        return FindQuiet(key);
    }

    private YamlNode? FindQuiet(string key)
    {
        foreach (var (k, v) in _node.Children)
            if (k is YamlScalarNode s && s.Value == key)
                return v is YamlScalarNode { Value: "" or "~" or "null", Style: not YamlDotNet.Core.ScalarStyle.DoubleQuoted and not YamlDotNet.Core.ScalarStyle.SingleQuoted } ? null : v;
        return null;
    }

    private YamlScalarNode? Scalar(string key, bool required, string expected)
    {
        var node = Find(key);
        if (node is null)
            return required ? throw Missing(key) : null;
        return node as YamlScalarNode ?? throw Error(node, $"'{Name(key)}' must be {expected}, not a {(node is YamlSequenceNode ? "list" : "mapping")}");
    }

    private T InRange<T>(YamlNode node, string key, T value, T min, T max) where T : IComparable<T> =>
        value.CompareTo(min) < 0 || value.CompareTo(max) > 0
            ? throw Error(node, $"'{Name(key)}' is {Convert.ToString(value, CultureInfo.InvariantCulture)}, out of range: expected {Convert.ToString(min, CultureInfo.InvariantCulture)} to {Convert.ToString(max, CultureInfo.InvariantCulture)}")
            : value;

    private string Name(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
