using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli.Commands.Merge;

/// <summary>The real `kbh` process: a run split 3 ways with --shard, merged, equals the same run on one machine.</summary>
[Category("Slow")]
public sealed class MergeCommandTests
{
    [Test]
    public void Merge_ThreeShardsOfTheDemo_EqualsSingleMachineRun()
    {
        using var dir = new TempDir();
        var single = RunSignature.DemoConfig(dir.Path, "single");
        var sharded = RunSignature.DemoConfig(dir.Path, "sharded");
        Assert.That(KbhProcess.Run("run", "--config", single).ExitCode, Is.EqualTo(0));
        var shardDirs = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var run = KbhProcess.Run("run", "--config", sharded, "--shard", $"{i}/3");
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Stdout + run.Stderr);
            shardDirs.Add(Path.Combine(dir.Path, "sharded", $"shard-{i}-of-3"));
        }
        var keysPerShard = shardDirs.Select(d => RunStore.Open(d).Manifest.ProblemKeys).ToList();
        Assert.That(keysPerShard.SelectMany(k => k), Is.EquivalentTo(new[] { "L1/1", "L1/2", "L1/3", "L2/1" }));

        var merged = Path.Combine(dir.Path, "merged");
        var merge = KbhProcess.Run(["merge", .. shardDirs, "--out", merged]);

        Assert.That(merge.ExitCode, Is.EqualTo(0), merge.Stdout + merge.Stderr);
        Assert.That(RunSignature.Of(merged), Is.EqualTo(RunSignature.Of(Path.Combine(dir.Path, "single"))));
        Assert.That(RunSignature.Of(merged), Is.Not.Empty);
        Assert.That(Manifest(merged), Is.EqualTo(Manifest(Path.Combine(dir.Path, "single"))));
    }

    // The manifest without what names one particular run (id, time, its own config file text, where it came from).
    private static string Manifest(string folder) => System.Text.Json.JsonSerializer.Serialize(RunStore.Open(folder).Manifest with
    {
        RunId = "", CreatedAt = default, ConfigYaml = null, MergedFrom = null,
    });

    [Test]
    public void Resume_ShardCutMidWrite_ContinuesOnlyItsOwnProblems()
    {
        using var dir = new TempDir();
        var fresh = RunSignature.DemoConfig(dir.Path, "fresh");
        var cut = RunSignature.DemoConfig(dir.Path, "cut");
        Assert.That(KbhProcess.Run("run", "--config", fresh, "--shard", "1/3").ExitCode, Is.EqualTo(0));
        Assert.That(KbhProcess.Run("run", "--config", cut, "--shard", "1/3").ExitCode, Is.EqualTo(0));
        // What a kill leaves: the first attempt stored, the second torn mid-line, no finished marker.
        var shard = Path.Combine(dir.Path, "cut", "shard-1-of-3");
        var lines = File.ReadAllLines(Path.Combine(shard, RunStore.AttemptsFile));
        Assert.That(lines, Has.Length.GreaterThan(1));
        File.WriteAllText(Path.Combine(shard, RunStore.AttemptsFile), lines[0] + "\n" + lines[1][..(lines[1].Length / 2)]);
        File.Delete(Path.Combine(shard, RunStore.FinishedFile));

        var resume = KbhProcess.Run("run", "--resume", shard);

        Assert.That(resume.ExitCode, Is.EqualTo(0), resume.Stdout + resume.Stderr);
        Assert.That(RunStore.Open(shard).Manifest.ProblemKeys, Is.EqualTo(new[] { "L1/1", "L2/1" }));
        Assert.That(RunSignature.Of(shard), Is.EqualTo(RunSignature.Of(Path.Combine(dir.Path, "fresh", "shard-1-of-3"))));
        Assert.That(RunStore.Open(shard).IsFinished, Is.True);
    }

    [Test]
    public void Merge_MissingShard_ExitCode2NamingIt()
    {
        using var dir = new TempDir();
        var config = RunSignature.DemoConfig(dir.Path, "sharded");
        Assert.That(KbhProcess.Run("run", "--config", config, "--shard", "1/2").ExitCode, Is.EqualTo(0));

        var merge = KbhProcess.Run("merge", Path.Combine(dir.Path, "sharded", "shard-1-of-2"), "--out", Path.Combine(dir.Path, "merged"));

        Assert.That(merge.ExitCode, Is.EqualTo(2));
        Assert.That(merge.Stderr, Does.Contain("shard(s) 2 of 2 missing").And.Not.Contain("   at "));
    }

    [Test]
    public void Run_BadShard_ExitCode2()
    {
        using var dir = new TempDir();
        var run = KbhProcess.Run("run", "--config", RunSignature.DemoConfig(dir.Path, "x"), "--shard", "4/3");
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("'4/3'"));
    }
}
