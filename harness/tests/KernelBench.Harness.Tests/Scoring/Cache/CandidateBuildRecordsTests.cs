using System.Text.Json;
using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Tests.Scoring.Cache;

/// <summary>
/// Build records on real files: a record written from a load job whose extensions all came from the cache covers its
/// source while this run's workers report the build environment it was written under and every entry it names is
/// finished; without a record nothing waits for a worker.
/// </summary>
public sealed class CandidateBuildRecordsTests
{
    private const string Sha = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private const string Key = "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9";
    private const string Env = """{"torch": "1.13.0a0", "cuda": null, "arch": "cpu", "python_abi": ".cpython-311-x86_64-linux-gnu.so", "cxx": "/c/cc/bin/0c80b826e9eb175b/c++", "cflags": ""}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), $"kbh-records-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(_root, Key));
        File.WriteAllText(Path.Combine(_root, Key, BuildCache.MarkerFile), "{}");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static WorkerReply LoadReply(string env = Env, string key = Key) =>
        new(WorkerOutcome.Answered, Json($$"""{"status": "built", "cache_keys": ["{{key}}"], "build_env": {{env}}}"""), "", "");

    // A run's records: a worker of it has started and said what it builds with.
    private CandidateBuildRecords Run(string env = Env)
    {
        var records = new CandidateBuildRecords(_root);
        records.Observe(Json($$"""{"event": "ready", "torch_version": "1.13.0a0", "build_env": {{env}}}"""));
        return records;
    }

    [Test]
    public async Task CoversAsync_RecordFromAnAllCachedLoad_TrueForItsSourceOnly()
    {
        Run().Put(Sha, LoadReply());

        Assert.That(await Run().CoversAsync(Sha, Wait, default), Is.True);
        Assert.That(await Run().CoversAsync(Sha.Replace('0', 'a'), Wait, default), Is.False, "another source has no record");
        Assert.That(Directory.GetFiles(Path.Combine(_root, BuildCache.RecordsFolder)), Has.Length.EqualTo(1));
        Assert.That(new BuildCache(_root).Info().Unfinished, Is.Zero, "the records folder is not an unfinished entry");
    }

    [Test]
    public async Task Put_ReplyWithoutCacheKeys_WritesNothing()
    {
        // What a build that compiled something (or ran with the cache off) reports: no keys, so no record.
        Run().Put(Sha, new WorkerReply(WorkerOutcome.Answered, Json("""{"status": "built", "build_modes": ["ext: pch"]}"""), "", ""));

        Assert.That(await Run().CoversAsync(Sha, Wait, default), Is.False);
        Assert.That(Directory.Exists(Path.Combine(_root, BuildCache.RecordsFolder)), Is.False);
    }

    [Test]
    public async Task CoversAsync_EntryGone_False()
    {
        Run().Put(Sha, LoadReply());
        File.Delete(Path.Combine(_root, Key, BuildCache.MarkerFile)); // a cleared or half-removed entry

        Assert.That(await Run().CoversAsync(Sha, Wait, default), Is.False);
    }

    [TestCase("torch", "2.11.0", TestName = "CoversAsync_OtherTorch_False")]
    [TestCase("arch", "sm_90", TestName = "CoversAsync_OtherGpuArchitecture_False")]
    [TestCase("cxx", "/c/cc/bin/77aa00bb11cc22dd/c++", TestName = "CoversAsync_OtherCompilerOrWorkerScripts_False")]
    public async Task CoversAsync_WorkersBuildWithSomethingElse_False(string field, string value)
    {
        Run().Put(Sha, LoadReply());
        var other = System.Text.Json.Nodes.JsonNode.Parse(Env)!;
        other[field] = value;

        Assert.That(await Run(other.ToJsonString()).CoversAsync(Sha, Wait, default), Is.False);
    }

    [Test]
    public async Task CoversAsync_NoRecord_AnswersWithoutWaitingForAWorker()
    {
        var records = new CandidateBuildRecords(_root); // no worker has started

        var covers = records.CoversAsync(Sha, TimeSpan.FromMinutes(5), default);

        Assert.That(covers.IsCompleted, Is.True, "a cold run's builds start at once");
        Assert.That(await covers, Is.False);
    }

    [Test]
    public async Task CoversAsync_Recorded_WaitsForTheFirstWorkersEnvironment()
    {
        Run().Put(Sha, LoadReply());
        var records = new CandidateBuildRecords(_root);

        var covers = records.CoversAsync(Sha, TimeSpan.FromMinutes(5), default);
        await Task.Delay(200);
        Assert.That(covers.IsCompleted, Is.False);
        records.Observe(Json($$"""{"event": "ready", "build_env": {{Env}}}"""));

        Assert.That(await covers.WaitAsync(Wait), Is.True);
        Assert.That(await new CandidateBuildRecords(_root).CoversAsync(Sha, TimeSpan.FromMilliseconds(50), default), Is.False,
            "no worker said what it builds with in time: built as usual");
    }

    [Test]
    public async Task CoversAsync_KeyThatLeavesTheCache_False()
    {
        Run().Put(Sha, LoadReply(key: "../" + Key));

        Assert.That(await Run().CoversAsync(Sha, Wait, default), Is.False);
    }

    [Test]
    public async Task CoversAsync_TornRecord_False()
    {
        Directory.CreateDirectory(Path.Combine(_root, BuildCache.RecordsFolder));
        File.WriteAllText(Path.Combine(_root, BuildCache.RecordsFolder, Sha[..32] + ".json"), "{\"source_sha256\": \"" + Sha);

        Assert.That(await Run().CoversAsync(Sha, Wait, default), Is.False);
    }
}
