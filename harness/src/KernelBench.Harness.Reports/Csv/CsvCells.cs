using System.Globalization;
using CsvHelper;

namespace KernelBench.Harness.Reports.Csv;

/// <summary>How every report CSV writes values: invariant culture, up to 6 decimals, empty for "not measured".</summary>
public static class CsvCells
{
    public static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture) : "";

    public static string Int(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>A fast_p threshold as used in column names: 0, 1, 1.5, 2.</summary>
    public static string P(double p) => p.ToString("0.###", CultureInfo.InvariantCulture);

    public static void WriteRow(CsvWriter csv, IEnumerable<string> fields)
    {
        foreach (var f in fields)
            csv.WriteField(f);
        csv.EndRecord();
    }

    /// <summary>Writes a CSV file with a header and rows; "\n" line endings so the files diff the same everywhere.</summary>
    public static void WriteFile(string path, IReadOnlyList<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        using var csv = CsvWriter.Create(writer, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true);
        WriteRow(csv, header);
        foreach (var row in rows)
            WriteRow(csv, row);
    }
}
