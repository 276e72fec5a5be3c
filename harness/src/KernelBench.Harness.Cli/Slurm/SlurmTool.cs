using System.ComponentModel;
using System.Diagnostics;
using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Cli.Slurm;

/// <summary>Runs Slurm's own commands (sbatch, squeue, scancel): kbh schedules nothing itself.</summary>
public static class SlurmTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs a Slurm command; null when it is not installed here.</summary>
    public static Result? TryRun(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return new Result(process.ExitCode, stdout.Result.Trim(), stderr.Result.Trim());
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    /// <summary>`sbatch --parsable ARGS`: the job id ("123", or "123;cluster" on a federation).</summary>
    public static string Submit(params string[] args)
    {
        var result = TryRun("sbatch", ["--parsable", .. args])
                     ?? throw new BadInputException("sbatch not found: submit from a Slurm login node (or start scripts/slurm/local-cluster.sh for a one-node test cluster).");
        if (result.ExitCode != 0)
            throw new BadInputException($"sbatch {string.Join(' ', args)} failed: {(result.Stderr.Length > 0 ? result.Stderr : result.Stdout)}");
        var id = result.Stdout.Split('\n').Last().Split(';')[0].Trim();
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new BadInputException($"sbatch answered '{result.Stdout}', not a job id.");
        return id;
    }

    /// <summary>
    /// Queue state of the array tasks of these jobs, by task id (= shard): "PENDING", "RUNNING"... Tasks that left the
    /// queue are absent. Null when squeue is not available.
    /// </summary>
    public static IReadOnlyDictionary<int, string>? ArrayTaskStates(IEnumerable<string> jobIds)
    {
        var ids = string.Join(',', jobIds);
        if (ids.Length == 0)
            return new Dictionary<int, string>();
        var result = TryRun("squeue", "-h", "-r", "-j", ids, "-o", "%i|%T|%r");
        if (result is null || result.ExitCode != 0)
            return result is null ? null : new Dictionary<int, string>(); // jobs long gone: squeue refuses unknown ids
        var states = new Dictionary<int, string>();
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('|');
            var underscore = parts[0].IndexOf('_', StringComparison.Ordinal);
            if (parts.Length >= 2 && underscore > 0 && int.TryParse(parts[0].AsSpan(underscore + 1), out var task))
                states[task] = parts.Length > 2 && parts[2] is { Length: > 0 } reason and not "None" ? $"{parts[1]} ({reason})" : parts[1];
        }
        return states;
    }

    /// <summary>Whether a job still has anything queued or running.</summary>
    public static bool InQueue(string jobId) => TryRun("squeue", "-h", "-j", jobId, "-o", "%i") is { ExitCode: 0, Stdout.Length: > 0 };
}
