using KernelBench.Harness.Scoring.Cache;

namespace KernelBench.Harness.Tests.Scoring.Cache;

/// <summary>The Python cache and its C# view together, with real load_inline builds (about 20 s each on this machine).</summary>
[TestFixture]
[Category("Slow")]
[NonParallelizable]
public class BuildCacheTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("kbh-cache-test-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task Install_SameCandidateTwice_SecondLoadsFromCacheWithoutBuilding()
    {
        var first = await CacheDriver.RunAsync(_root, CacheDriver.SampleCandidate);
        var entry = new BuildCache(_root).Entries().Single();
        var library = Path.Combine(_root, entry.Key, "kbh_sample_scale_shift.so");
        var builtAt = File.GetLastWriteTimeUtc(library);

        var second = await CacheDriver.RunAsync(_root, CacheDriver.SampleCandidate);

        Assert.That((first.GetProperty("builds").GetInt32(), first.GetProperty("misses").GetInt32()), Is.EqualTo((1, 1)));
        Assert.That((second.GetProperty("builds").GetInt32(), second.GetProperty("hits").GetInt32()), Is.EqualTo((0, 1)));
        Assert.That(second.GetProperty("entries")[0].GetProperty("key").GetString(), Is.EqualTo(entry.Key));
        Assert.That(File.GetLastWriteTimeUtc(library), Is.EqualTo(builtAt), "the library was not rebuilt");
        Assert.That(entry.Name, Is.EqualTo("kbh_sample_scale_shift"));
        Assert.That(new BuildCache(_root).Info().Unfinished, Is.Zero);
    }

    [Test]
    public async Task Install_TwoProcessesBuildSameSourceAtOnce_OneEntryOneBuild()
    {
        using var a = CacheDriver.Start(_root, CacheDriver.SampleCandidate);
        using var b = CacheDriver.Start(_root, CacheDriver.SampleCandidate);

        var stats = await Task.WhenAll(CacheDriver.FinishAsync(a), CacheDriver.FinishAsync(b));

        Assert.That(stats.Sum(s => s.GetProperty("builds").GetInt32()), Is.EqualTo(1));
        Assert.That(stats.Sum(s => s.GetProperty("hits").GetInt32()), Is.EqualTo(1));
        Assert.That(new BuildCache(_root).Info(), Has.Property(nameof(BuildCacheInfo.Entries)).EqualTo(1)
            .And.Property(nameof(BuildCacheInfo.Unfinished)).EqualTo(0));
    }

    [Test]
    public async Task Install_BuildKilledHalfway_NeverLoadedAndRebuiltNextTime()
    {
        using (var doomed = CacheDriver.Start(_root, CacheDriver.SampleCandidate))
        {
            // Halfway: torch has written its build files into the temporary folder and the compiler is running.
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!Directory.EnumerateFiles(_root, "build.ninja", SearchOption.AllDirectories).Any() && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            await Task.Delay(1000);
            doomed.Kill(entireProcessTree: true);
            await doomed.WaitForExitAsync();
        }
        var afterKill = new BuildCache(_root).Info();

        var rebuilt = await CacheDriver.RunAsync(_root, CacheDriver.SampleCandidate);

        Assert.That(afterKill.Entries, Is.Zero, "a killed build must not look finished");
        Assert.That(afterKill.Unfinished, Is.EqualTo(1));
        Assert.That(rebuilt.GetProperty("builds").GetInt32(), Is.EqualTo(1));
        Assert.That(new BuildCache(_root).Info(), Has.Property(nameof(BuildCacheInfo.Entries)).EqualTo(1)
            .And.Property(nameof(BuildCacheInfo.Unfinished)).EqualTo(0));
    }

    [Test]
    public async Task Install_CompileError_RaisesAndLeavesNothingInCache()
    {
        var broken = Path.Combine(_root, "..", Path.GetFileName(_root) + "-broken.py");
        File.WriteAllText(broken, File.ReadAllText(CacheDriver.SampleCandidate).Replace("return out;", "return out +;"));
        try
        {
            using var process = CacheDriver.Start(_root, broken);
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.That(process.ExitCode, Is.Not.Zero);
            Assert.That(stderr, Does.Contain("Error building extension"));
            Assert.That(Directory.EnumerateDirectories(_root).Where(d => Path.GetFileName(d) != BuildCache.LauncherFolder), Is.Empty,
                "no entry and no leftover build folder");
            Assert.That(new BuildCache(_root).Info().Objects, Is.Zero, "no object of a failed compile is kept");
        }
        finally
        {
            File.Delete(broken);
        }
    }
}
