using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Baselines;
using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// The verifier: static validators (<see cref="CandidateScreen"/>), then the build stage (<see cref="BuildStage"/>:
/// import the candidate, which builds its extensions), then the reference (<see cref="ReferenceStage"/>) and the check
/// stage (correctness trials, runtime hack checks, timing), each in a long-lived worker (<see cref="EngineWorker"/>)
/// that is replaced after a crash, a time-out or a CUDA fault. One candidate at a time per engine; run one engine per GPU.
/// </summary>
public sealed class CandidateEngine : IDisposableVerifier, IPreparingVerifier
{
    private static readonly string[] Unprefixed = ["reference.", "ahead.", "sandbox.", "within.", "candidate_said."];

    private readonly EngineOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CandidateScreen _screen;
    private readonly EngineWorker _workers;
    private readonly CandidateFiles _files;
    private readonly BuildStage _build;
    private readonly ReferenceTimes _referenceTimes;
    private readonly ReferenceStage _reference;
    private readonly ReferenceAloneTiming _referenceAlone;
    private Prepared? _prepared; // under _gate: the reference PrepareAsync measured, and its phases for the next verdict
    private double? _startedAhead; // under _gate: how long the worker WarmUpAsync started took, for the next verdict

    private sealed record Prepared(string RefKey, Dictionary<string, double> Phases);

    /// <param name="buildRecords">Where build records go (<see cref="CandidateBuildRecords"/>), shared with the
    /// pipeline that reads them; null: this engine's cache's own.</param>
    public CandidateEngine(EngineOptions options, IEnumerable<ICandidateValidator> validators, CandidateBuildRecords? buildRecords = null)
    {
        _options = options;
        var cacheRoot = options.Worker.CacheFolder;
        var records = buildRecords ?? CandidateBuildRecords.For(options.Worker);
        _screen = new CandidateScreen(options.Settings, validators.ToList());
        _workers = new EngineWorker(options, records);
        _files = new CandidateFiles(Path.Combine(cacheRoot, "candidates"));
        _build = new BuildStage(options, _workers, _files, records);
        _referenceTimes = new ReferenceTimes(options, Path.Combine(cacheRoot, "references"));
        _reference = new ReferenceStage(options, _workers, _referenceTimes, _files.Folder);
        _referenceAlone = new ReferenceAloneTiming(options, _workers);
    }

    /// <summary>How many workers were started so far (a crash or time-out costs one).</summary>
    public int WorkersStarted => _workers.Started;

    /// <summary>Where the last worker runs: versions and GPU; empty until the first candidate.</summary>
    public EnvironmentInfo Environment => _workers.Environment;

    /// <summary>Problems whose reference <see cref="PrepareAsync"/> measured ahead of a candidate.</summary>
    public int ReferencesPrepared { get; private set; }

    /// <summary>Candidates this engine's worker loaded for a check (a build that failed elsewhere never counts).</summary>
    public int CandidatesLoaded { get; private set; }

    public async Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken)
    {
        var waited = await _gate.WaitTimedAsync(cancellationToken);
        try
        {
            var verdict = await JudgeAsync(problem, candidateSource, cancellationToken);
            return verdict with { QueueSeconds = verdict.QueueSeconds + waited };
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Verdict> JudgeAsync(Problem problem, string source, CancellationToken ct)
    {
        var settings = _options.Settings;
        var sha = CandidateSource.Sha256(source);
        var screen = _screen.Screen(problem, source, new VerdictFactory(problem, sha, settings, Environment));
        if (screen.Done is { } screened)
            return screened;
        var staticFlags = screen.StaticFlags;

        // Where a judged candidate's wall time goes beyond its jobs' own phases: starting a worker (the first
        // candidate, or after a crash) and the load job (importing the candidate here; its extensions come from the
        // build cache).
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        var worker = await _workers.EnsureAsync(phases, ct);
        if (_startedAhead is { } ahead) // started ahead (WarmUpAsync): its time is this verdict's
            phases.TryAdd("worker_start", ahead);
        _startedAhead = null;
        var verdicts = new VerdictFactory(problem, sha, settings, Environment);
        // The load job imports the candidate in a process of its own only to learn whether it builds; the check job
        // imports it again in its own process. When a build record says every extension is in the cache, the check's
        // import is the only one (0.4 s a candidate on an H200, session 12): its answer stands in for the load's.
        BuildAnswer? build = null;
        if (!await _build.CoveredAsync(sha, ct))
        {
            var loadStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            CandidatesLoaded++;
            (var loaded, var failed) = await _build.RunAsync(worker, verdicts, source, sha, ct);
            build = BuildAnswer.From(loaded);
            phases["load_job"] = System.Diagnostics.Stopwatch.GetElapsedTime(loadStarted).TotalSeconds;
            if (failed is not null)
                return failed with { Flags = staticFlags };
        }
        var path = _files.Write(source, sha);

        var refKey = JobRequests.ReferenceKey(problem, settings, Environment.TorchVersion);
        if (_prepared is { } prepared && prepared.RefKey == refKey && worker.References.Contains(refKey))
            foreach (var (name, seconds) in prepared.Phases) // measured ahead (PrepareAsync): its time is this verdict's
                phases.TryAdd(name, seconds);
        _prepared = null;
        if (await _reference.EnsureAsync(worker, problem, refKey, verdicts, phases, ct) is { } referenceFailed)
            return referenceFailed;

        var checkStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var request = JobRequests.Check(problem, settings, refKey, CandidateFiles.Key(sha), path, _files.ExtensionsDir(sha));
        var reply = await _workers.RunAsync(worker, request, _options.Worker.CheckTimeout, ct);
        phases["check_job"] = System.Diagnostics.Stopwatch.GetElapsedTime(checkStarted).TotalSeconds;
        var check = CheckAnswer.From(reply);
        foreach (var (name, seconds) in check.PhaseSeconds)
            // The check.* phases add up to at most check_job. Not prefixed: reference.* (measured for this verdict);
            // ahead.* (done before the check began, overlapping the last one); sandbox.* (part of the candidate
            // process's start); within.* (parts of one check phase); candidate_said.* (the candidate process's own
            // account of its operations, self-reported, overlapping the judge's phases).
            phases[Unprefixed.Any(p => name.StartsWith(p, StringComparison.Ordinal)) ? name : "check." + name] = seconds;
        build ??= check.Build; // no load job ran: the check reports its own import
        if (reply.Outcome != WorkerOutcome.Answered)
            return verdicts.FromFailure(reply, "check") with { BuildSeconds = build.BuildSeconds, BuildModes = build.BuildModes, Flags = staticFlags };
        if (check.Status == "bad_input")
            throw new BadInputException(check.Reason);
        if (check.ProblemSha256 is { Length: > 0 } judged && judged != problem.Sha256)
            return verdicts.Make(VerdictStatus.RuntimeError, $"the problem file changed after it was loaded: the judge ran the reference from " +
                $"bytes with SHA-256 {judged[..12]}…, the run records {problem.Sha256[..Math.Min(12, problem.Sha256.Length)]}…; load the problems again") with { Flags = staticFlags };
        SandboxNotice.SayOnce(check.Sandbox);
        var refRuntime = _referenceTimes.Runtime(problem, refKey, check.PairedRefTimesMs);
        var verdict = verdicts.FromCheck(check, build, refRuntime, _options.ExcessiveSpeedup, staticFlags, screen.Findings);
        return verdict with
        {
            PhaseSeconds = phases,
            BaselineSpeedups = ComparisonBaseline.Speedups(_options.ComparisonBaselines, problem, verdict.Runtime),
        };
    }

    /// <inheritdoc />
    public async Task PrepareAsync(Problem problem, CancellationToken cancellationToken)
    {
        if (!await _gate.WaitAsync(0, cancellationToken))
            return; // judging: the candidate in hand decides which problem this worker holds
        try
        {
            var phases = new Dictionary<string, double>(StringComparer.Ordinal);
            var worker = await _workers.EnsureAsync(phases, cancellationToken);
            var refKey = JobRequests.ReferenceKey(problem, _options.Settings, Environment.TorchVersion);
            if (worker.References.Contains(refKey))
                return;
            var verdicts = new VerdictFactory(problem, "", _options.Settings, Environment);
            if (await _reference.EnsureAsync(worker, problem, refKey, verdicts, phases, cancellationToken) is null)
            {
                _prepared = new Prepared(refKey, phases);
                ReferencesPrepared++;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_workers.Healthy)
                return;
            var phases = new Dictionary<string, double>(StringComparer.Ordinal);
            await _workers.EnsureAsync(phases, cancellationToken);
            _startedAhead = phases.GetValueOrDefault("worker_start");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Best effort: the next candidate starts the worker again and its verdict or error says why it failed.
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Static checks, then the build stage alone, for build engines working ahead of the GPU engines
    /// (<see cref="PipelinedVerifier"/>): the verdict <see cref="VerifyAsync"/> would give when the candidate is
    /// rejected or fails to build (never touching the GPU), else null and the seconds its extensions took to build.
    /// Extensions go to the content-addressed build cache, where the GPU engine loads them without compiling.
    /// </summary>
    public async Task<(Verdict? Failed, double? BuildSeconds, IReadOnlyList<string> BuildModes)> BuildStageAsync(Problem problem, string source, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var sha = CandidateSource.Sha256(source);
            var screen = _screen.Screen(problem, source, new VerdictFactory(problem, sha, _options.Settings, Environment));
            if (screen.Done is { } screened)
                return (screened, null, []);
            var worker = await _workers.EnsureAsync(ct);
            var (reply, failed) = await _build.RunAsync(worker, new VerdictFactory(problem, sha, _options.Settings, Environment), source, sha, ct);
            var build = BuildAnswer.From(reply);
            return failed is not null ? (failed with { Flags = screen.StaticFlags }, null, []) : (null, build.BuildSeconds, build.BuildModes);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Measures the reference alone (for `kbh baseline`): its raw times, or why it could not be measured.
    /// <paramref name="compileMode"/>: time it under torch.compile (inductor, that mode) instead of eagerly.
    /// Throws <see cref="NotSupportedException"/> when the worker's PyTorch cannot honour the request at all.
    /// </summary>
    public async Task<(IReadOnlyList<double> Times, string? Error)> MeasureReferenceAsync(Problem problem, CancellationToken ct, string? compileMode = null)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await _referenceAlone.MeasureAsync(problem, compileMode, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _workers.Dispose();
        _gate.Dispose();
    }
}
