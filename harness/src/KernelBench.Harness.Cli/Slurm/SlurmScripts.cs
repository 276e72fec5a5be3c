using System.Globalization;
using System.Text;

namespace KernelBench.Harness.Cli.Slurm;

/// <summary>What a Slurm submission asks for; each becomes an #SBATCH line of the array script.</summary>
public sealed record SlurmOptions(int Shards, string Launcher, string Time, int GpusPerTask, int CpusPerTask,
    string? Partition = null, string? Account = null, string JobName = "kbh", string? Constraint = null);

/// <summary>
/// Renders scripts/slurm/*.sbatch.template (embedded in kbh) into a run's slurm/ folder. Paths are shell-quoted;
/// the launcher is a command line on purpose (the self-contained `kbh`, or `dotnet …/kbh.dll`).
/// </summary>
public static class SlurmScripts
{
    public const string Folder = "slurm";
    public const string ArrayScript = "array.sbatch";
    public const string MergeScript = "merge.sbatch";

    public static (string Array, string Merge) Write(string runOut, string configPath, SlurmOptions options)
    {
        var dir = Path.Combine(runOut, Folder);
        Directory.CreateDirectory(dir);
        var values = new Dictionary<string, string>
        {
            ["job_name"] = options.JobName,
            ["shards"] = options.Shards.ToString(CultureInfo.InvariantCulture),
            ["slurm_dir"] = dir,
            ["out"] = Quote(runOut),
            ["config"] = Quote(Path.GetFullPath(configPath)),
            ["launcher"] = options.Launcher,
            ["sbatch_options"] = ArrayOptions(options),
            ["merge_options"] = Lines(("partition", options.Partition), ("account", options.Account), ("cpus-per-task", "1")),
        };
        var array = Path.Combine(dir, ArrayScript);
        var merge = Path.Combine(dir, MergeScript);
        File.WriteAllText(array, Render(ArrayScript, values));
        File.WriteAllText(merge, Render(MergeScript, values));
        return (array, merge);
    }

    public static string Render(string script, IReadOnlyDictionary<string, string> values)
    {
        using var stream = typeof(SlurmScripts).Assembly.GetManifestResourceStream($"slurm/{script}.template")
                           ?? throw new InvalidOperationException($"slurm/{script}.template is not embedded in kbh");
        var text = new StreamReader(stream).ReadToEnd();
        foreach (var (key, value) in values)
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        if (text.Contains("{{", StringComparison.Ordinal))
            throw new InvalidOperationException($"slurm/{script}.template has a placeholder no value fills");
        return text;
    }

    private static string ArrayOptions(SlurmOptions o) => Lines(
        ("time", o.Time), ("partition", o.Partition), ("account", o.Account), ("constraint", o.Constraint),
        ("cpus-per-task", o.CpusPerTask.ToString(CultureInfo.InvariantCulture)),
        ("gres", o.GpusPerTask > 0 ? $"gpu:{o.GpusPerTask}" : null));

    private static string Lines(params (string Name, string? Value)[] options)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in options.Where(o => !string.IsNullOrWhiteSpace(o.Value)))
            text.Append(text.Length > 0 ? "\n" : "").Append("#SBATCH --").Append(name).Append('=').Append(value);
        return text.ToString();
    }

    /// <summary>Single-quotes a value for bash ('it'"'"'s').</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
}
