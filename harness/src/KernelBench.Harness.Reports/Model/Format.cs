using System.Globalization;

namespace KernelBench.Harness.Reports.Model;

/// <summary>Numbers as people read them in Markdown, HTML and the terminal (invariant culture; "–" when not measured).</summary>
public static class Format
{
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A fast_p share; null means no correct problem was timed.</summary>
    public static string Share(double? share) => share is { } s ? Percent(s) : "not timed";

    public static string Speedup(double? x) => x is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "–";

    public static string Ms(double? x) => x is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    /// <summary>A budget time people can read: seconds under a minute (2.4 s, not 0.0 min), else minutes, else hours.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s)
            return "–";
        var c = CultureInfo.InvariantCulture;
        return s < 60 ? s.ToString("0.0", c) + " s" : s < 3600 ? (s / 60).ToString("0.0", c) + " min" : (s / 3600).ToString("0.00", c) + " h";
    }

    public static string Num(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Sci(double? x) => x is { } v ? v.ToString("G3", CultureInfo.InvariantCulture) : "–";
}
