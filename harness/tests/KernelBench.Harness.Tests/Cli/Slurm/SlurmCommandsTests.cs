using System.Diagnostics;
using KernelBench.Harness.Tests.Store.Merge;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli.Slurm;

/// <summary>`kbh slurm` without a cluster: the scripts it writes (checked by bash itself), status from folders, refusals.</summary>
public sealed class SlurmCommandsTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private string GpuConfig(string outName) => _dir.File("gpu.yaml", $"""
        kernelbench: {Paths.SampleProblems}
        problems: {"{"} level: 1 {"}"}
        model: {"{"} base_url: "http://127.0.0.1:9/v1", name: r1 {"}"}
        budget: {"{"} minutes: 15 {"}"}
        device: cuda
        out: {outName}
        """);

    [Test]
    public void Submit_DryRun_WritesValidScriptsWithTheAskedResourcesAndSubmitsNothing()
    {
        var config = GpuConfig("it's out");
        var run = KbhProcess.Run("slurm", "submit", "--config", config, "--shards", "4", "--partition", "gpu", "--time", "02:00:00",
            "--gpus-per-task", "2", "--constraint", "h100", "--launcher", "/opt/kbh/kbh", "--dry-run");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        var slurm = Path.Combine(_dir.Path, "it's out", "slurm");
        var array = File.ReadAllText(Path.Combine(slurm, "array.sbatch"));
        Assert.That(array, Does.Contain("#SBATCH --array=1-4").And.Contain("#SBATCH --partition=gpu").And.Contain("#SBATCH --time=02:00:00")
            .And.Contain("#SBATCH --gres=gpu:2").And.Contain("#SBATCH --constraint=h100").And.Contain("#SBATCH --cpus-per-task=8").And.Contain("#SBATCH --requeue")
            .And.Contain("exec /opt/kbh/kbh run --resume").And.Contain("--shard \"$shard/4\"").And.Not.Contain("{{"));
        var merge = File.ReadAllText(Path.Combine(slurm, "merge.sbatch"));
        Assert.That(merge, Does.Contain("merge \"$out\"/shard-*-of-4 --out \"$out/merged\"").And.Contain("#SBATCH --partition=gpu"));
        Assert.That(File.Exists(Path.Combine(slurm, "jobs.json")), Is.False, "a dry run submits nothing");
        Assert.That(Bash("-n", Path.Combine(slurm, "array.sbatch")), Is.EqualTo(0));
        Assert.That(Bash("-n", Path.Combine(slurm, "merge.sbatch")), Is.EqualTo(0));
    }

    [Test]
    public void Submit_QuotedOut_ScriptSeesThePathExactly()
    {
        var config = GpuConfig("it's out");
        Assert.That(KbhProcess.Run("slurm", "submit", "--config", config, "--shards", "2", "--dry-run").ExitCode, Is.EqualTo(0));
        var script = File.ReadAllLines(Path.Combine(_dir.Path, "it's out", "slurm", "array.sbatch")).First(l => l.StartsWith("out=", StringComparison.Ordinal));

        var echoed = Capture($"{script}; printf %s \"$out\"");

        Assert.That(echoed, Is.EqualTo(Path.Combine(_dir.Path, "it's out")));
    }

    [Test]
    public void Status_ShardFoldersWithoutSlurm_ProgressPerShard()
    {
        var run = Path.Combine(_dir.Path, "run");
        ShardFolders.Make(run, 1, 2, ["L1/1", "L1/3"], [ShardFolders.Attempt("L1/1", 0, 0), ShardFolders.Attempt("L1/1", 0, 1)], finished: false);
        ShardFolders.Make(run, 2, 2, ["L1/2"], [ShardFolders.Attempt("L1/2", 0, 0)]);

        var status = KbhProcess.Run("slurm", "status", run);

        Assert.That(status.ExitCode, Is.EqualTo(0), status.Stderr);
        var lines = status.Stdout.Split('\n');
        Assert.That(lines.Single(l => l.Contains("1/2", StringComparison.Ordinal)), Does.Contain("1/2").And.Contain(" 2 ").And.Contain("running or stopped"));
        Assert.That(lines.Single(l => l.Contains("2/2", StringComparison.Ordinal)), Does.Contain("1/1").And.Contain("finished"));
    }

    [Test]
    public void Resubmit_NotSubmittedThroughSlurm_ExitCode2()
    {
        var run = KbhProcess.Run("slurm", "resubmit", _dir.Path, "--shard", "1");
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("kbh slurm submit"));
    }

    [Test]
    public void Submit_NoShards_ExitCode2() =>
        Assert.That(KbhProcess.Run("slurm", "submit", "--config", GpuConfig("o")).ExitCode, Is.EqualTo(2));

    private static int Bash(params string[] args)
    {
        using var p = Process.Start("bash", args);
        p.WaitForExit();
        return p.ExitCode;
    }

    private static string Capture(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
