using System.Globalization;

namespace KernelBench.Harness.Reports.Model;

/// <summary>A problem's level and id, written "L1/19" in run folders.</summary>
public readonly record struct ProblemKey(int Level, int Id)
{
    public override string ToString() => $"L{Level}/{Id}";

    public static bool TryParse(string text, out ProblemKey key)
    {
        key = default;
        var parts = text.Split('/');
        if (parts.Length != 2 || !parts[0].StartsWith('L'))
            return false;
        if (!int.TryParse(parts[0][1..], NumberStyles.None, CultureInfo.InvariantCulture, out var level)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        key = new ProblemKey(level, id);
        return true;
    }
}
