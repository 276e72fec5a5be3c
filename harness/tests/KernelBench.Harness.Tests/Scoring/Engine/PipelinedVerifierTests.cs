using KernelBench.Harness.Scoring.Devices;
using System.Text.Json;
using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// Build workers ahead of the check engine, all real: two C++ load_inline candidates build at the same time on two
/// build workers, a candidate that does not compile gets its verdict from the build stage without the check engine
/// ever starting, and the check engine loads what was built instead of compiling it again.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class PipelinedVerifierTests
{
    private string _cache = "";

    [SetUp]
    public void SetUp() => _cache = TempFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_cache, recursive: true);

    [Test]
    public async Task Verify_TwoBuildWorkers_BuildInParallelFailuresSkipTheCheckAndChecksLoadTheBuilds()
    {
        var good = SampleCandidate("correct", 1, 1);
        var other = good.Replace("name=\"kbh_sample_scale_shift\"", "name=\"kbh_sample_scale_shift_b\""); // its own extension
        var broken = good.Replace("name=\"kbh_sample_scale_shift\"", "name=\"kbh_sample_broken\"").Replace("return out;", "return out +;");
        Assert.That(new[] { other, broken }, Has.None.EqualTo(good));
        var options = Options(_cache, TimeSpan.FromSeconds(120));
        using var checks = new CandidateEngine(options, []);
        using var pipeline = new PipelinedVerifier(checks, () => new CandidateEngine(options, []), buildWorkers: 2);

        pipeline.Prebuild(Sample(1, 1), good);
        pipeline.Prebuild(Sample(1, 1), other);
        pipeline.Prebuild(Sample(1, 1), broken);

        var failed = await pipeline.VerifyAsync(Sample(1, 1), broken, CancellationToken.None);
        Assert.That(failed.Status, Is.EqualTo(VerdictStatus.CompileError), failed.Reason);
        Assert.That(failed.Reason, Does.Contain("error"));
        Assert.That(checks.CandidatesLoaded, Is.Zero, "a candidate that does not build never reaches the check engine");
        // Its problem's reference was measured while it built (the check worker was idle): the next candidates use it.
        Assert.That(checks.ReferencesPrepared, Is.EqualTo(1));

        var first = await pipeline.VerifyAsync(Sample(1, 1), good, CancellationToken.None);
        var second = await pipeline.VerifyAsync(Sample(1, 1), other, CancellationToken.None);
        Assert.That((first.Status, second.Status), Is.EqualTo((VerdictStatus.Correct, VerdictStatus.Correct)), first.Reason + second.Reason);
        Assert.That(pipeline.BuildWorkersStarted, Is.EqualTo(2));
        Assert.That((checks.WorkersStarted, checks.ReferencesPrepared, checks.CandidatesLoaded), Is.EqualTo((1, 1, 2)));
        Assert.That(first.PhaseSeconds.Keys, Has.Member("reference_job"), "the first verdict of the problem carries its reference's cost");
        Assert.That(second.PhaseSeconds.Keys, Has.No.Member("reference_job"));

        // The cache holds one entry per extension, each built by a build worker; the two builds overlapped in time.
        var entries = Entries();
        Assert.That(entries.Select(e => e.Name), Is.EquivalentTo(new[] { "kbh_sample_scale_shift", "kbh_sample_scale_shift_b" }));
        var (a, b) = (entries[0], entries[1]);
        var overlap = Math.Min(a.End, b.End) - Math.Max(a.Start, b.Start);
        Assert.That(overlap, Is.GreaterThan(1.0), $"builds {a.Start:0.0}-{a.End:0.0} and {b.Start:0.0}-{b.End:0.0} ran at the same time");
        // The verdicts carry the build stage's time (the compile, plus starting the trusted build step's process,
        // a fork server's first start included); the check engine only loaded the libraries.
        Assert.That(first.BuildSeconds, Is.GreaterThan(1.0));
        var compiles = entries.Select(e => e.Seconds).Order().ToArray();
        var stages = new[] { first.BuildSeconds!.Value, second.BuildSeconds!.Value }.Order().ToArray();
        for (var i = 0; i < 2; i++)
            Assert.That(stages[i], Is.InRange(compiles[i] - 0.5, compiles[i] + 30.0), $"build stage {i} against its compile");
    }

    [Test]
    public async Task Verify_WhileTheCandidateBuilds_TheCheckWorkerStartsAndMeasuresTheReference()
    {
        var options = Options(_cache, TimeSpan.FromSeconds(120));
        using var checks = new CandidateEngine(options, []);
        using var pipeline = new PipelinedVerifier(checks, () => new CandidateEngine(options, []), buildWorkers: 1);

        var verdict = await pipeline.VerifyAsync(Sample(1, 1), SampleCandidate("correct", 1, 1), CancellationToken.None);

        Assert.That(verdict.Status, Is.EqualTo(VerdictStatus.Correct), verdict.Reason);
        Assert.That(checks.ReferencesPrepared, Is.EqualTo(1), "the reference was measured during the build, not after it");
        // The verdict still says what its problem's worker start and reference cost, though they ran ahead of it.
        Assert.That(verdict.PhaseSeconds.Keys, Is.SupersetOf(new[] { "worker_start", "reference_job", "load_job", "check_job" }));
        Assert.That(verdict.BuildSeconds, Is.GreaterThan(1.0), "the candidate was compiled, on the build worker");
        Assert.That(verdict.BuildModes, Has.None.Contains("library-cache"));
    }

    [Test]
    public async Task Verify_BuildsFirst_NoCheckStartsWhileAQueuedBuildCompiles()
    {
        // KernelBench's timing (--timing kernelbench): its flow builds every sample before it times one. One build
        // worker, so the second candidate compiles after the first one's build, while the first one would be checked.
        var good = SampleCandidate("correct", 1, 1);
        var other = good.Replace("name=\"kbh_sample_scale_shift\"", "name=\"kbh_sample_scale_shift_b\"");
        var options = Options(_cache, TimeSpan.FromSeconds(120));
        using var checks = new CandidateEngine(options, []);
        using var pipeline = new PipelinedVerifier(checks, () => new CandidateEngine(options, []), buildWorkers: 1, buildsFirst: true);
        pipeline.Prebuild(Sample(1, 1), good);
        pipeline.Prebuild(Sample(1, 1), other);

        var first = await pipeline.VerifyAsync(Sample(1, 1), good, CancellationToken.None);
        var builtBeforeTheFirstVerdict = Entries().Select(e => e.Name).ToList();
        var second = await pipeline.VerifyAsync(Sample(1, 1), other, CancellationToken.None);

        Assert.That((first.Status, second.Status), Is.EqualTo((VerdictStatus.Correct, VerdictStatus.Correct)), first.Reason + second.Reason);
        // (Without builds first, the first verdict came while the second extension still compiled: only the first was built.)
        Assert.That(builtBeforeTheFirstVerdict, Is.EquivalentTo(new[] { "kbh_sample_scale_shift", "kbh_sample_scale_shift_b" }),
            "the other candidate's build ended before this one was checked");
    }

    [TestCase("kernelbench", true)]
    [TestCase("cuda_event", false)]
    [TestCase("host_time", false)]
    public void CheckLanes_BuildsFirstOnlyUnderKernelBenchTiming(string timing, bool buildsFirst)
    {
        var options = Options(_cache, TimeSpan.FromSeconds(120));
        options = options with { Settings = options.Settings with { TimingMethod = timing } };
        using var lanes = CheckLanes.Create([GpuDevice.Cpu], 1, buildWorkers: 1, options);

        Assert.That(lanes.Pipeline?.BuildsFirst, Is.EqualTo(buildsFirst));
    }

    [Test]
    public async Task Verify_SameCandidateInALaterRun_BuildSkippedUntilItsEntryIsGone()
    {
        var options = Options(_cache, TimeSpan.FromSeconds(120));
        var source = SampleCandidate("correct", 1, 1);
        async Task<(Verdict Verdict, int Skipped, int BuildWorkers)> Run()
        {
            var records = CandidateBuildRecords.For(options.Worker); // as CheckLanes shares them
            using var checks = new CandidateEngine(options, [], records);
            using var pipeline = new PipelinedVerifier(checks, () => new CandidateEngine(options, [], records), buildWorkers: 1, records);
            var verdict = await pipeline.VerifyAsync(Sample(1, 1), source, CancellationToken.None);
            return (verdict, pipeline.BuildsSkipped, pipeline.BuildWorkersStarted);
        }

        var cold = await Run();
        var warm = await Run();
        foreach (var entry in Directory.GetDirectories(Path.Combine(_cache, "builds")).Where(d => !Path.GetFileName(d).StartsWith('.') && Path.GetFileName(d) != "cc"))
            Directory.Delete(entry, recursive: true); // the extension's entry is gone: its record no longer holds
        var rebuilt = await Run();

        Assert.That(new[] { cold.Verdict.Status, warm.Verdict.Status, rebuilt.Verdict.Status }, Has.All.EqualTo(VerdictStatus.Correct));
        Assert.That((cold.Skipped, cold.BuildWorkers), Is.EqualTo((0, 1)));
        Assert.That((warm.Skipped, warm.BuildWorkers), Is.EqualTo((1, 0)), "the second run started no build worker");
        Assert.That(warm.Verdict.BuildModes, Is.Not.Empty.And.All.EndsWith(": library-cache"), "the check loaded the recorded entries");
        Assert.That((rebuilt.Skipped, rebuilt.BuildWorkers), Is.EqualTo((0, 1)));
        Assert.That(rebuilt.Verdict.BuildModes, Has.None.EndsWith(": library-cache"), "compiled again, on the build worker");
    }

    private sealed record Entry(string Name, double Start, double End, double Seconds);

    // Each cache entry's marker records when it was published and how long its build took.
    private List<Entry> Entries() => Directory.EnumerateFiles(Path.Combine(_cache, "builds"), "KBH_COMPLETE", SearchOption.AllDirectories)
        .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
        .Select(m =>
        {
            var end = DateTimeOffset.Parse(m.GetProperty("created").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            var seconds = m.GetProperty("build_seconds").GetDouble();
            return new Entry(m.GetProperty("name").GetString()!, end - seconds, end + 1, seconds); // created has whole seconds
        })
        .OrderBy(e => e.Name)
        .ToList();
}
