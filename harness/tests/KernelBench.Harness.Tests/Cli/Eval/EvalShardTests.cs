using KernelBench.Harness.Cli;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Cli.Eval;

/// <summary>`kbh eval --candidates --shard I/N`: the shards' verdicts, merged, are those of one unsharded eval.</summary>
[Category("Slow")]
public sealed class EvalShardTests
{
    [Test]
    public async Task Eval_TwoShardsMerged_EqualsOneEval()
    {
        using var dir = new TempDir();
        var candidates = Path.Combine(dir.Path, "candidates");
        foreach (var (level, id) in new[] { (1, 2), (1, 3), (2, 1) })
        {
            Directory.CreateDirectory(Path.Combine(candidates, $"level{level}"));
            File.Copy(Path.Combine(Paths.SampleCandidates, "wrong", $"level{level}", $"{id}.py"), Path.Combine(candidates, $"level{level}", $"{id}.py"));
        }
        File.Copy(Path.Combine(Paths.SampleCandidates, "correct", "level1", "2.py"), Path.Combine(candidates, "level_1_problem_42_sample_0_kernel.py"));
        async Task Eval(string outDir, params string[] extra)
        {
            var console = new TestConsole();
            string[] args = ["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--candidates", candidates, "--out", outDir,
                "--format", "json", "--perf-trials", "3", "--trials", "2", .. extra];
            Assert.That(await KbhApp.RunAsync(args, console), Is.Zero, console.Output);
        }
        var single = Path.Combine(dir.Path, "single");
        var sharded = Path.Combine(dir.Path, "sharded");
        await Eval(single);
        await Eval(sharded, "--shard", "1/2");
        await Eval(sharded, "--shard", "2/2");
        var merged = Path.Combine(dir.Path, "merged");

        var merge = new TestConsole();
        var code = await KbhApp.RunAsync(["merge", Path.Combine(sharded, "shard-1-of-2"), Path.Combine(sharded, "shard-2-of-2"), "--out", merged], merge);

        Assert.That(code, Is.Zero, merge.Output);
        Assert.That(RunSignature.Of(merged), Is.EqualTo(RunSignature.Of(single)).And.Count.EqualTo(4));
        // L1/1, L1/2, L1/3, L2/1 dealt in turn; the candidate for a problem the set lacks is recorded by shard 1 only.
        Assert.That(Keys(Path.Combine(sharded, "shard-1-of-2")), Is.EquivalentTo(new[] { "L1/3", "L1/42" }));
        Assert.That(Keys(Path.Combine(sharded, "shard-2-of-2")), Is.EquivalentTo(new[] { "L1/2", "L2/1" }));
    }

    private static IEnumerable<string> Keys(string folder) => RunStore.Open(folder).ReadAttempts().Attempts.Select(a => a.ProblemKey);
}
