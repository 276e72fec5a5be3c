using System.Text.Json.Nodes;
using KernelBench.Harness.Tests.Agent.Loop;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli.Slurm;

/// <summary>
/// A real Slurm (scripts/slurm/local-cluster.sh: slurmctld + slurmd on 127.0.0.1) runs `kbh slurm submit`'s job array
/// of the sample problems, 3 shards on the CPU, and its merge job; the merged run must hold exactly the attempts of the
/// same work done by one `kbh run`, also after a shard is cancelled mid-run and resubmitted.
/// </summary>
[Category("Slow")]
[Category("Slurm")]
[NonParallelizable]
public sealed class LocalSlurmTests
{
    [SetUp]
    public void SetUp() => LocalSlurm.Require();

    [Test]
    public void JobArray_DemoReplayIn3Shards_MergedEqualsSingleMachineRun()
    {
        using var dir = new TempDir();
        var single = KbhProcess.Run("run", "--config", RunSignature.DemoConfig(dir.Path, "single"));
        Assert.That(single.ExitCode, Is.EqualTo(0), single.Stderr);
        var runDir = Path.Combine(dir.Path, "sharded");

        var submit = LocalSlurm.Submit(RunSignature.DemoConfig(dir.Path, "sharded"), 3);

        Assert.That(submit.ExitCode, Is.EqualTo(0), submit.Stdout + submit.Stderr);
        LocalSlurm.WaitFor(() => LocalSlurm.Finished(Path.Combine(runDir, "merged")), "the merge job", runDir);
        Assert.That(RunSignature.Of(Path.Combine(runDir, "merged")), Is.EqualTo(RunSignature.Of(Path.Combine(dir.Path, "single"))).And.Not.Empty);
        var status = KbhProcess.Run("slurm", "status", runDir);
        Assert.That(status.Stdout.Split('\n').Count(l => l.Contains("finished", StringComparison.Ordinal)), Is.EqualTo(3), status.Stdout);
    }

    [Test]
    public async Task JobArray_ShardCancelledMidRunThenResubmitted_NothingLostOrDoubled()
    {
        const int Budget = 4;
        await using var server = new ScriptedModelServer();
        using var dir = new TempDir();
        var runDir = Path.Combine(dir.Path, "sharded");
        var armed = false;
        var softmaxRequests = 0;
        string? cancelled = null;
        // Shard 2 of 3 holds L1/2 (the softmax problem) alone. At its 3rd model request (2 attempts stored, the 3rd in
        // flight) the server has Slurm cancel that array task: the shard dies mid-run, as on a lost node or a time limit.
        server.Fallback = request =>
        {
            if (armed && request.Body.Contains("softmax over the last dimension", StringComparison.Ordinal)
                      && Interlocked.Increment(ref softmaxRequests) == 3)
            {
                LocalSlurm.WaitFor(() => File.Exists(Path.Combine(runDir, "slurm", "jobs.json")), "jobs.json", runDir, 30);
                cancelled = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "slurm", "jobs.json")))!["array_job"]!.GetValue<string>() + "_2";
                LocalSlurm.Tool("scancel", cancelled);
            }
            return LoopFixture.Answer("incorrect") with { EventDelayMs = 20 };
        };
        string Config(string name) => dir.File(name + ".yaml", $"""
            kernelbench: {Paths.SampleProblems}
            problems: {"{"} levels: [1, 2] {"}"}
            model: {"{"} base_url: {server.BaseUrl}, name: deepseek-ai/deepseek-r1, max_retries: 1 {"}"}
            budget: {"{"} attempts: {Budget} {"}"}
            device: cpu
            out: {Path.Combine(dir.Path, name)}
            """);
        Assert.That(KbhProcess.Run("run", "--config", Config("single")).ExitCode, Is.EqualTo(0));
        armed = true;

        Assert.That(LocalSlurm.Submit(Config("sharded"), 3).ExitCode, Is.EqualTo(0));
        LocalSlurm.WaitFor(() => cancelled is not null && !LocalSlurm.InQueue(cancelled), "cancelling shard 2", runDir);
        var shard2 = Path.Combine(runDir, "shard-2-of-3");
        var stored = RunStore.Open(shard2).ReadAttempts().Attempts.Count;
        Assert.That(LocalSlurm.Finished(shard2), Is.False, "the cancelled shard must not look finished");
        Assert.That(stored, Is.InRange(1, Budget - 1), "the shard was not cancelled mid-run");
        LocalSlurm.WaitFor(() => !LocalSlurm.Tool("squeue", "-h", "-o", "%j")!.Contains("kbh-sharded\n", StringComparison.Ordinal), "shards 1 and 3", runDir);

        var resubmit = KbhProcess.Run("slurm", "resubmit", runDir, "--shard", "2");

        Assert.That(resubmit.ExitCode, Is.EqualTo(0), resubmit.Stdout + resubmit.Stderr);
        LocalSlurm.WaitFor(() => LocalSlurm.Finished(Path.Combine(runDir, "merged")), "the resubmitted shard and the new merge job", runDir);
        var merged = RunStore.Open(Path.Combine(runDir, "merged")).ReadAttempts().Attempts;
        Assert.That(merged.GroupBy(a => a.ProblemKey).Select(g => g.Select(a => a.Index).Order()),
            Is.All.EqualTo(Enumerable.Range(0, Budget)), "every problem has attempts 0..budget-1, each once");
        Assert.That(RunSignature.Of(Path.Combine(runDir, "merged")), Is.EqualTo(RunSignature.Of(Path.Combine(dir.Path, "single"))));
        Assert.That(softmaxRequests, Is.EqualTo(Budget + 1), "the resumed shard asked only for the attempts it had not stored, plus the one cut off");
    }
}
