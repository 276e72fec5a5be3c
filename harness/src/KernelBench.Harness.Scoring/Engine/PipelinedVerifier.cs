using System.Collections.Concurrent;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// Builds ahead of the GPU: CPU build workers import each candidate (which builds its extensions into the shared,
/// content-addressed build cache) while the check verifier (one engine per GPU) judges candidates whose builds are done
/// and so loads their libraries without compiling. A candidate whose build fails gets its verdict from the build stage
/// and never reaches the GPU. While a candidate builds, the check worker its problem is pinned to starts and measures
/// the problem's reference (<see cref="PrepareAsync"/>), so the check starts as soon as the build is done. <see cref="Prebuild"/> lets a caller that knows its candidates in advance (kbh eval) start
/// their builds before it asks for verdicts; the agent loop simply calls <see cref="VerifyAsync"/>. With builds first
/// (KernelBench's timing), no check and no reference starts while any queued build still compiles, as KernelBench's
/// flow builds every sample before it times one: a compiler beside a timed call slows launch-bound calls.
/// </summary>
public sealed class PipelinedVerifier : IDisposableVerifier, IPreparingVerifier
{
    private readonly IDisposableVerifier _checks;
    private readonly Func<CandidateEngine> _newBuilder;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<CandidateEngine> _idle = new();
    private readonly ConcurrentBag<CandidateEngine> _all = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<Built>>> _builds = new(StringComparer.Ordinal);
    private readonly CandidateBuildRecords? _records;
    private int _skipped;

    // How long a recorded candidate waits for a worker to say what it builds with before it is built as usual (a
    // worker's default start limit; it is the check worker its own problem's preparation starts).
    private static readonly TimeSpan RecordWait = TimeSpan.FromMinutes(2);

    private sealed record Built(Verdict? Failed, double? BuildSeconds, IReadOnlyList<string> BuildModes, double Queued);

    /// <param name="checks">Judges built candidates (the GPU engines).</param>
    /// <param name="newBuilder">Makes a build engine: a CPU worker sharing the check engines' cache folder.</param>
    /// <param name="buildWorkers">Builds at once.</param>
    /// <param name="records">Build records: a candidate they cover is not built again (null: every candidate builds).</param>
    /// <param name="buildsFirst">Every build queued so far ends before a check or a reference starts (KernelBench's flow).</param>
    public PipelinedVerifier(IDisposableVerifier checks, Func<CandidateEngine> newBuilder, int buildWorkers, CandidateBuildRecords? records = null,
        bool buildsFirst = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buildWorkers, 1);
        _checks = checks;
        _newBuilder = newBuilder;
        _slots = new SemaphoreSlim(buildWorkers, buildWorkers);
        _records = records;
        BuildsFirst = buildsFirst;
    }

    /// <summary>Candidates whose build stage was skipped: a build record said every extension is in the cache.</summary>
    public int BuildsSkipped => Volatile.Read(ref _skipped);

    /// <summary>Every queued build ends before a check or a reference starts (set for KernelBench's timing).</summary>
    public bool BuildsFirst { get; }

    /// <summary>Build workers started so far (they start on demand, up to the configured number).</summary>
    public int BuildWorkersStarted => _all.Count;

    /// <summary>
    /// How many build workers a run gets: the configured number, else one per core when judging on a GPU (builds are
    /// CPU work the GPU should never wait for) and none on a CPU run (the cores that would build are the ones checking).
    /// </summary>
    public static int DefaultWorkers(int? configured, string device) =>
        configured ?? (device.StartsWith("cuda", StringComparison.Ordinal) ? System.Environment.ProcessorCount : 0);

    /// <summary><paramref name="checks"/> behind build workers, or <paramref name="checks"/> itself when there are none.</summary>
    public static IDisposableVerifier Wrap(IDisposableVerifier checks, Func<CandidateEngine> newBuilder, int buildWorkers, CandidateBuildRecords? records = null,
        bool buildsFirst = false) =>
        buildWorkers > 0 ? new PipelinedVerifier(checks, newBuilder, buildWorkers, records, buildsFirst) : checks;

    /// <summary>Starts the candidate's build if it has not started yet; returns at once.</summary>
    public void Prebuild(Problem problem, string source) => _ = Build(problem, source, CancellationToken.None);

    public async Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken)
    {
        var building = Build(problem, candidateSource, cancellationToken);
        if (BuildsFirst)
            await AllBuildsAsync(cancellationToken);
        else if (!building.IsCompleted) // the check worker starts and measures the reference while the candidate builds
            await PrepareAsync(problem, cancellationToken);
        var built = await building.WaitAsync(cancellationToken);
        _builds.TryRemove(Key(problem, CandidateSource.Sha256(candidateSource)), out _); // judged: a later identical source builds (or hits) anew
        if (built.Failed is { } failed)
            return failed with { QueueSeconds = failed.QueueSeconds + built.Queued };
        var verdict = await _checks.VerifyAsync(problem, candidateSource, cancellationToken);
        // The build's time is the build stage's: the check only loaded what it built.
        return verdict with
        {
            QueueSeconds = verdict.QueueSeconds + built.Queued,
            BuildSeconds = built.BuildSeconds ?? verdict.BuildSeconds,
            BuildModes = built.BuildModes.Count > 0 ? built.BuildModes : verdict.BuildModes,
        };
    }

    /// <inheritdoc />
    public Task PrepareAsync(Problem problem, CancellationToken cancellationToken) =>
        _checks is IPreparingVerifier preparer ? preparer.PrepareAsync(problem, cancellationToken) : Task.CompletedTask;

    /// <summary>Starts the check workers; build workers start when the first builds are queued.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        _checks is IPreparingVerifier preparer ? preparer.WarmUpAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Waits for every build queued so far (this candidate's among them); a failed build is its own verdict.</summary>
    private async Task AllBuildsAsync(CancellationToken ct)
    {
        var queued = _builds.Values.Select(b => b.Value).ToArray();
        try
        {
            await Task.WhenAll(queued).WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Another candidate's build threw: its own VerifyAsync reports it; this one only waited for it to end.
        }
    }

    private Task<Built> Build(Problem problem, string source, CancellationToken ct)
    {
        var sha = CandidateSource.Sha256(source);
        return _builds.GetOrAdd(Key(problem, sha), _ => new Lazy<Task<Built>>(() => BuildAsync(problem, source, sha, ct))).Value;
    }

    private static string Key(Problem problem, string sourceSha) => problem.Key + "|" + sourceSha;

    private async Task<Built> BuildAsync(Problem problem, string source, string sha, CancellationToken ct)
    {
        if (_records is not null && await _records.CoversAsync(sha, RecordWait, ct))
        {
            // Built before, every extension still in the cache: the check loads them, as after any build. Its
            // static checks and a failing import still give their verdicts there.
            Interlocked.Increment(ref _skipped);
            return new Built(null, null, [], 0);
        }
        var queued = await _slots.WaitTimedAsync(ct);
        if (!_idle.TryTake(out var builder))
        {
            builder = _newBuilder();
            _all.Add(builder);
        }
        try
        {
            var (failed, seconds, modes) = await builder.BuildStageAsync(problem, source, ct);
            return new Built(failed, seconds, modes, queued);
        }
        finally
        {
            _idle.Add(builder);
            _slots.Release();
        }
    }

    public void Dispose()
    {
        // Every worker stops at once: a GPU worker takes seconds to free its host memory and CUDA context.
        Parallel.Invoke(() => Parallel.ForEach(_all, builder => builder.Dispose()), _checks.Dispose);
        _slots.Dispose();
    }
}
