using KernelBench.Harness.Scoring.Cache;

namespace KernelBench.Harness.Tests.Scoring.Cache;

/// <summary>The C# view of a cache folder laid out as the Python side writes it (fast: no build).</summary>
[TestFixture]
public class BuildCacheInfoTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("kbh-cache-info-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Info_FinishedAndUnfinishedFolders_CountsOnlyMarkedAsEntries()
    {
        WriteEntry("aaa", "ext_a", 1000, "2026-01-01T00:00:00Z");
        WriteEntry("bbb", "ext_b", 3000, null);
        Directory.CreateDirectory(Path.Combine(_root, ".tmp-ccc-x1"));
        Directory.CreateDirectory(Path.Combine(_root, BuildCache.TritonFolder));
        File.WriteAllText(Path.Combine(_root, "ccc.lock"), "");
        File.WriteAllText(Path.Combine(_root, "ddd" + BuildCache.FailedSuffix), """{"error": "main.cpp:1: error: x"}""");

        var cache = new BuildCache(_root);
        var info = cache.Info();

        Assert.That((info.Entries, info.Unfinished, info.Failed), Is.EqualTo((1, 2, 1)));
        Assert.That(info.Bytes, Is.EqualTo(1000 + new FileInfo(Path.Combine(_root, "aaa", BuildCache.MarkerFile)).Length));
        Assert.That(cache.Entries().Single().Name, Is.EqualTo("ext_a"));
    }

    [Test]
    public void Clear_WithEntriesAndLeftovers_RemovesEverythingAndCountsEntries()
    {
        WriteEntry("aaa", "ext_a", 10, "x");
        WriteEntry("bbb", "ext_b", 10, "x");
        Directory.CreateDirectory(Path.Combine(_root, ".tmp-ccc-x1"));
        File.WriteAllText(Path.Combine(_root, "aaa.lock"), "");
        File.WriteAllText(Path.Combine(_root, "ddd" + BuildCache.FailedSuffix), """{"error": "main.cpp:1: error: x"}""");

        var removed = new BuildCache(_root).Clear();

        Assert.That(removed, Is.EqualTo(2));
        Assert.That(Directory.EnumerateFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public void Info_MissingFolder_ReportsEmpty() =>
        Assert.That(new BuildCache(Path.Combine(_root, "nope")).Info().Entries, Is.Zero);

    private void WriteEntry(string key, string name, int libraryBytes, string? marker)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, key)).FullName;
        File.WriteAllBytes(Path.Combine(dir, name + ".so"), new byte[libraryBytes]);
        if (marker is not null)
            File.WriteAllText(Path.Combine(dir, BuildCache.MarkerFile), $$"""{"name": "{{name}}", "build_seconds": 1.5, "created": "{{marker}}"}""");
    }
}
