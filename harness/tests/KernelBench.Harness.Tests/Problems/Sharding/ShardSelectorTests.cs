using KernelBench.Harness.Problems;
using KernelBench.Harness.Problems.Sharding;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Problems.Sharding;

public sealed class ShardSelectorTests
{
    // KernelBench's shape: 100 level-1, 100 level-2, 50 level-3 problems.
    private static readonly string[] Keys = Enumerable.Range(1, 100).Select(i => $"L1/{i}")
        .Concat(Enumerable.Range(1, 100).Select(i => $"L2/{i}")).Concat(Enumerable.Range(1, 50).Select(i => $"L3/{i}")).ToArray();

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(7)]
    [TestCase(300)]
    public void Select_AllShards_EveryProblemInExactlyOneShard(int count)
    {
        var shards = Enumerable.Range(1, count).Select(i => ShardSelector.Select(Keys, new Shard(i, count))).ToList();
        var all = shards.SelectMany(s => s).ToList();
        Assert.That(all, Has.Count.EqualTo(Keys.Length));
        Assert.That(all, Is.Unique);
        Assert.That(all, Is.EquivalentTo(Keys));
    }

    [Test]
    public void Select_ShuffledInput_SameShards()
    {
        var shuffled = Keys.OrderBy(k => k.GetHashCode(StringComparison.Ordinal) ^ 0x5bd1e995).Reverse().ToList();
        for (var i = 1; i <= 4; i++)
            Assert.That(ShardSelector.Select(shuffled, new Shard(i, 4)), Is.EqualTo(ShardSelector.Select(Keys, new Shard(i, 4))));
    }

    [Test]
    public void Select_KnownKeys_StableAssignment()
    {
        // Pinned so a change of rule (which would split a resumed or re-merged run differently) fails loudly.
        var keys = new[] { "L2/1", "L1/10", "L1/2", "L1/1", "L2/3" };
        Assert.That(ShardSelector.Select(keys, new Shard(1, 2)), Is.EqualTo(new[] { "L1/1", "L1/10", "L2/3" }));
        Assert.That(ShardSelector.Select(keys, new Shard(2, 2)), Is.EqualTo(new[] { "L1/2", "L2/1" }));
    }

    [TestCase(3)]
    [TestCase(8)]
    public void Select_ManyLevels_BalancedPerLevelAndInTotal(int count)
    {
        var shards = Enumerable.Range(1, count).Select(i => ShardSelector.Select(Keys, new Shard(i, count))).ToList();
        Assert.That(shards.Max(s => s.Count) - shards.Min(s => s.Count), Is.LessThanOrEqualTo(1));
        foreach (var level in new[] { "L1/", "L2/", "L3/" })
        {
            var perShard = shards.Select(s => s.Count(k => k.StartsWith(level, StringComparison.Ordinal))).ToList();
            Assert.That(perShard.Max() - perShard.Min(), Is.LessThanOrEqualTo(1), level);
        }
    }

    [Test]
    public void Select_SampleProblems_ProblemsFollowTheirKeys()
    {
        var problems = ProblemLoader.Load(Paths.SampleProblems).Problems;
        var shard = new Shard(2, 3);
        Assert.That(ShardSelector.Select(problems, shard).Select(p => p.Key),
            Is.EqualTo(ShardSelector.Select(problems.Select(p => p.Key), shard)));
    }

    [TestCase("0/3")]
    [TestCase("4/3")]
    [TestCase("1/0")]
    [TestCase("a/b")]
    [TestCase("1")]
    [TestCase("-1/3")]
    public void Parse_BadText_RefusedWithTheExpectedForm(string text)
    {
        var e = Assert.Throws<BadInputException>(() => Shard.Parse(text));
        Assert.That(e!.Message, Does.Contain($"'{text}'").And.Contain("I/N"));
    }

    [Test]
    public void FolderName_RoundTrips()
    {
        var shard = Shard.Parse("2/5");
        Assert.That(shard.FolderName, Is.EqualTo("shard-2-of-5"));
        Assert.That(Shard.FromFolderName(shard.FolderName), Is.EqualTo(shard));
        Assert.That(Shard.FromFolderName("merged"), Is.Null);
    }
}
