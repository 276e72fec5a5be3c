using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;
using KernelBench.Harness.Store.Merge;
using KernelBench.Harness.Tests.Support;
using static KernelBench.Harness.Tests.Store.Merge.ShardFolders;

namespace KernelBench.Harness.Tests.Store.Merge;

public sealed class RunMergerTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private string Out => Path.Combine(_dir.Path, "merged");

    private string[] TwoShards() =>
    [
        Make(_dir.Path, 1, 2, ["L1/1", "L2/1"], [Attempt("L2/1", 0, 0), Attempt("L1/1", 0, 1), Attempt("L1/1", 0, 0, "correct")]),
        Make(_dir.Path, 2, 2, ["L1/2", "L1/3"], [Attempt("L1/2", 0, 0), Attempt("L1/3", 1, 0), Attempt("L1/3", 0, 0)]),
    ];

    [Test]
    public void Merge_CompleteShards_EveryAttemptOnceInProblemChainIndexOrder()
    {
        var report = RunMerger.Merge(TwoShards(), Out);

        var merged = RunStore.Open(Out);
        var keys = merged.ReadAttempts().Attempts.Select(a => $"{a.ProblemKey}/{a.Chain}/{a.Index}").ToList();
        Assert.That(keys, Is.EqualTo(new[] { "L1/1/0/0", "L1/1/0/1", "L1/2/0/0", "L1/3/0/0", "L1/3/1/0", "L2/1/0/0" }));
        Assert.That(report is { Attempts: 6, Complete: true, DuplicatesCollapsed: 0 }, Is.True);
        Assert.That(merged.Manifest.Shard, Is.Null);
        Assert.That(merged.Manifest.ProblemKeys, Is.EqualTo(new[] { "L1/1", "L1/2", "L1/3", "L2/1" }));
        Assert.That(merged.Manifest.ProblemSetHash, Is.EqualTo(RunHash));
        Assert.That(merged.Manifest.MergedFrom, Is.EqualTo(new[] { "run-1", "run-2" }));
        Assert.That(merged.IsFinished, Is.True);
        Assert.That(File.ReadAllText(Path.Combine(Out, "config.json")), Does.Contain(Out));
    }

    [Test]
    public void Merge_IdenticalCopyOfAShard_CollapsedToOne()
    {
        var shards = TwoShards();
        var copy = Path.Combine(_dir.Path, "copy-of-2");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(shards[1]))
            File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));

        var report = RunMerger.Merge([.. shards, copy], Out);

        Assert.That(report.DuplicatesCollapsed, Is.EqualTo(3));
        Assert.That(RunStore.Open(Out).ReadAttempts().Attempts, Has.Count.EqualTo(6));
    }

    [Test]
    public void Merge_ConflictingDuplicate_RefusedNamingAttemptAndBothFolders()
    {
        var a = Make(_dir.Path, 1, 2, ["L1/1"], [Attempt("L1/1", 0, 0, "correct", "fast")]);
        var b = Make(_dir.Path, 2, 2, ["L1/2"], [Attempt("L1/2", 0, 0), Attempt("L1/1", 0, 0, "incorrect", "slow")]);

        var e = Assert.Throws<MergeException>(() => RunMerger.Merge([a, b], Out));

        Assert.That(e!.Message, Does.Contain("L1/1 chain 0 attempt 1").And.Contain(a).And.Contain(b).And.Contain("correct").And.Contain("incorrect"));
        Assert.That(Directory.Exists(Out), Is.False, "nothing is written when a merge is refused");
    }

    [Test]
    public void Merge_DifferentConfigs_RefusedNamingTheSetting()
    {
        var a = Make(_dir.Path, 1, 2, ["L1/1"], [], model: "deepseek-r1");
        var b = Make(_dir.Path, 2, 2, ["L1/2"], [], model: "qwen");

        var e = Assert.Throws<MergeException>(() => RunMerger.Merge([a, b], Out));

        Assert.That(e!.Message, Does.Contain("different settings").And.Contain("model").And.Contain("deepseek-r1").And.Contain("qwen"));
    }

    [Test]
    public void Merge_DifferentProblemSets_Refused()
    {
        var a = Make(_dir.Path, 1, 2, ["L1/1"], []);
        var b = Make(_dir.Path, 2, 2, ["L1/2"], [], runHash: "aaaaaaaaaaaaaaaaaaaa");

        var e = Assert.Throws<MergeException>(() => RunMerger.Merge([a, b], Out));

        Assert.That(e!.Message, Does.Contain("problem set").And.Contain(b));
    }

    [Test]
    public void Merge_DifferentShardCounts_Refused()
    {
        var a = Make(_dir.Path, 1, 2, ["L1/1"], []);
        var b = Make(_dir.Path, 2, 3, ["L1/2"], []);

        Assert.That(() => RunMerger.Merge([a, b], Out), Throws.TypeOf<MergeException>().With.Message.Contains("one of 2"));
    }

    [Test]
    public void Merge_MissingShard_RefusedUnlessPartial()
    {
        var a = Make(_dir.Path, 1, 3, ["L1/1"], [Attempt("L1/1", 0, 0)]);
        var c = Make(_dir.Path, 3, 3, ["L1/3"], [Attempt("L1/3", 0, 0)]);

        var e = Assert.Throws<MergeException>(() => RunMerger.Merge([a, c], Out));
        Assert.That(e!.Message, Does.Contain("shard(s) 2 of 3 missing"));

        var report = RunMerger.Merge([a, c], Out, allowPartial: true);
        Assert.That(report.Complete, Is.False);
        Assert.That(report.Warnings, Has.Some.Contains("shard(s) 2 of 3 missing"));
        Assert.That(RunStore.Open(Out).IsFinished, Is.False);
    }

    [Test]
    public void Merge_UnfinishedShard_RefusedNamingIt()
    {
        var a = Make(_dir.Path, 1, 2, ["L1/1"], []);
        var b = Make(_dir.Path, 2, 2, ["L1/2"], [Attempt("L1/2", 0, 0)], finished: false);

        var e = Assert.Throws<MergeException>(() => RunMerger.Merge([a, b], Out));

        Assert.That(e!.Message, Does.Contain(b).And.Contain("has not finished"));
    }

    [Test]
    public void Merge_ShardsOnDifferentGpuModels_RefusedNamingBoth()
    {
        AttemptRecord On(string gpu, string key) => Attempt(key, 0, 0) with
        {
            Verdict = new Verdict { Status = VerdictStatus.Correct, Environment = new EnvironmentInfo { GpuName = gpu } },
        };
        var a = Make(_dir.Path, 1, 2, ["L1/1"], [On("NVIDIA H100 80GB HBM3", "L1/1")]);
        var b = Make(_dir.Path, 2, 2, ["L1/2"], [On("NVIDIA A100-SXM4-40GB", "L1/2")]);

        var e = Assert.Throws<MergeException>(() => RunMerger.Merge([a, b], Out));

        Assert.That(e!.Message, Does.Contain("different GPU models").And.Contain("H100").And.Contain("A100").And.Contain(b));
    }

    [Test]
    public void Merge_NotAShardFolder_Refused()
    {
        var plain = Path.Combine(_dir.Path, "plain");
        RunStore.Create(plain, new RunManifest { RunId = "p", Kind = "run" });

        Assert.That(() => RunMerger.Merge([plain], Out), Throws.TypeOf<MergeException>().With.Message.Contains("not a shard folder"));
    }

    [Test]
    public void Merge_OutAlreadyHoldsARun_Refused()
    {
        var shards = TwoShards();
        RunMerger.Merge(shards, Out);

        Assert.That(() => RunMerger.Merge(shards, Out), Throws.TypeOf<MergeException>().With.Message.Contains("already exists"));
    }
}
