using System.Diagnostics;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli.Slurm;

/// <summary>The one-node Slurm of scripts/slurm/local-cluster.sh, as the Slurm tests use it.</summary>
internal static class LocalSlurm
{
    /// <summary>Skips the calling test (one line, NotExecuted in the TRX) when no Slurm controller answers: scripts/test.sh
    /// starts the one-node cluster where it can (Slurm installed, run as root), and .ci/run fails before the tests if it
    /// cannot start it, so CI always runs these.</summary>
    public static void Require()
    {
        var ping = Tool("scontrol", "ping");
        if (ping is null)
            Assert.Ignore("no Slurm: scontrol not installed (scripts/setup.sh installs slurmctld slurmd munge slurm-client)");
        if (!ping.Contains("UP", StringComparison.Ordinal))
            Assert.Ignore("no running Slurm (scontrol ping: " + ping.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                          + "): run scripts/slurm/local-cluster.sh start as root, or scripts/test.sh as root, which starts it");
    }

    /// <summary>Runs a Slurm command and returns its stdout, or null when it is not installed.</summary>
    public static string? Tool(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static bool InQueue(string job) => !string.IsNullOrWhiteSpace(Tool("squeue", "-h", "-j", job, "-o", "%i"));

    /// <summary>Waits (bounded) for a condition; on timeout fails with the queue and the jobs' own logs.</summary>
    public static void WaitFor(Func<bool> done, string what, string runDir, int seconds = 180)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                var logs = Directory.Exists(Path.Combine(runDir, "slurm"))
                    ? string.Join("\n", Directory.GetFiles(Path.Combine(runDir, "slurm"), "*.out").Select(f => $"--- {f}\n{File.ReadAllText(f)}"))
                    : "";
                Assert.Fail($"{what}: not done after {seconds} s.\nsqueue:\n{Tool("squeue")}\n{logs}");
            }
            Thread.Sleep(250);
        }
    }

    public static bool Finished(string folder) => File.Exists(Path.Combine(folder, RunStore.FinishedFile));

    public static KbhProcess.Result Submit(string config, int shards) =>
        KbhProcess.Run("slurm", "submit", "--config", config, "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--time", "00:10:00", "--launcher", $"dotnet '{KbhProcess.KbhDll}'");
}
