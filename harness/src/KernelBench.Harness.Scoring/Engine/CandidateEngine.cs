using System.Collections.Concurrent;
using System.Text.Json;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Baselines;
using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// The verifier: static validators, then the build stage (import the candidate, which builds its extensions), then the
/// check stage (correctness trials, runtime hack checks, timing), each in a long-lived worker that is replaced after a
/// crash, a time-out or a CUDA fault. One candidate at a time per engine; run one engine per GPU.
/// </summary>
public sealed class CandidateEngine : IDisposableVerifier, IPreparingVerifier
{
    private readonly EngineOptions _options;
    private readonly IReadOnlyList<ICandidateValidator> _validators;
    private static readonly TimeSpan JudgeMargin = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, IReadOnlyList<double>> _referenceTimes = new(StringComparer.Ordinal);
    private readonly string _workDir;
    private readonly ReferenceTimingCache _timingCache;
    private readonly CandidateBuildRecords _buildRecords;
    private WorkerProcess? _worker;
    private Prepared? _prepared; // under _gate: the reference PrepareAsync measured, and its phases for the next verdict
    private double? _startedAhead; // under _gate: how long the worker WarmUpAsync started took, for the next verdict

    private sealed record Prepared(string RefKey, Dictionary<string, double> Phases);

    /// <param name="buildRecords">Where build records go (<see cref="CandidateBuildRecords"/>), shared with the
    /// pipeline that reads them; null: this engine's cache's own.</param>
    public CandidateEngine(EngineOptions options, IEnumerable<ICandidateValidator> validators, CandidateBuildRecords? buildRecords = null)
    {
        _options = options;
        _validators = validators.ToList();
        var cacheRoot = options.Worker.CacheFolder;
        _workDir = Path.Combine(cacheRoot, "candidates");
        _timingCache = new ReferenceTimingCache(Path.Combine(cacheRoot, "references"));
        _buildRecords = buildRecords ?? CandidateBuildRecords.For(options.Worker);
    }

    /// <summary>How many workers were started so far (a crash or time-out costs one).</summary>
    public int WorkersStarted { get; private set; }

    /// <summary>Where the last worker runs: versions and GPU; empty until the first candidate.</summary>
    public EnvironmentInfo Environment { get; private set; } = new();

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
        var (screened, staticFlags) = Screen(problem, source, new VerdictFactory(problem, sha, settings, Environment));
        if (screened is not null)
            return screened;

        // Where a judged candidate's wall time goes beyond its jobs' own phases: starting a worker (the first
        // candidate, or after a crash) and the load job (importing the candidate here; its extensions come from the
        // build cache).
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        var worker = await StartWorkerAsync(phases, ct);
        if (_startedAhead is { } ahead) // started ahead (WarmUpAsync): its time is this verdict's
            phases.TryAdd("worker_start", ahead);
        _startedAhead = null;
        var verdicts = new VerdictFactory(problem, sha, settings, Environment);
        // The load job imports the candidate in a process of its own only to learn whether it builds; the check job
        // imports it again in its own process. When a build record says every extension is in the cache, the check's
        // import is the only one (0.4 s a candidate on an H200, session 12): its answer stands in for the load's.
        WorkerReply? build = null;
        if (!await _buildRecords.CoversAsync(sha, TimeSpan.FromSeconds(5), ct))
        {
            var loadStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            CandidatesLoaded++;
            (build, var failed) = await BuildStageAsync(worker, verdicts, source, sha, ct);
            phases["load_job"] = System.Diagnostics.Stopwatch.GetElapsedTime(loadStarted).TotalSeconds;
            if (failed is not null)
                return failed with { Flags = staticFlags };
        }
        var path = WriteCandidate(source, sha);
        var key = sha[..16];

        var refKey = JobRequests.ReferenceKey(problem, settings, Environment.TorchVersion);
        if (_prepared is { } prepared && prepared.RefKey == refKey && worker.References.Contains(refKey))
            foreach (var (name, seconds) in prepared.Phases) // measured ahead (PrepareAsync): its time is this verdict's
                phases.TryAdd(name, seconds);
        _prepared = null;
        if (await EnsureReferenceAsync(worker, problem, refKey, verdicts, phases, ct) is { } referenceFailed)
            return referenceFailed;

        var checkStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var check = await RunAsync(worker, JobRequests.Check(problem, settings, refKey, key, path, Path.Combine(_workDir, "ext", key)), _options.Worker.CheckTimeout, ct);
        phases["check_job"] = System.Diagnostics.Stopwatch.GetElapsedTime(checkStarted).TotalSeconds;
        foreach (var (name, seconds) in check.Numbers("phase_seconds"))
            // reference.*: measured for this verdict; ahead.*: done before the check began (overlapping the last one).
            phases[name.StartsWith("reference.", StringComparison.Ordinal) || name.StartsWith("ahead.", StringComparison.Ordinal) ? name : "check." + name] = seconds;
        build ??= check; // no load job ran: the check reports its own import
        if (check.Outcome != WorkerOutcome.Answered)
            return verdicts.FromFailure(check, "check") with { BuildSeconds = build.Num("build_seconds"), BuildModes = VerdictFactory.BuildModes(build), Flags = staticFlags };
        if (check.Status == "bad_input")
            throw new BadInputException(check.Str("reason"));
        if (check.Str("problem_sha256") is { Length: > 0 } judged && judged != problem.Sha256)
            return verdicts.Make(VerdictStatus.RuntimeError, $"the problem file changed after it was loaded: the judge ran the reference from " +
                $"bytes with SHA-256 {judged[..12]}…, the run records {problem.Sha256[..Math.Min(12, problem.Sha256.Length)]}…; load the problems again") with { Flags = staticFlags };
        SandboxNotice.SayOnce(check.Texts("sandbox"));
        var refRuntime = ReferenceRuntime(problem, refKey, check.Times("paired_ref_times_ms"));
        var verdict = verdicts.FromCheck(check, build, refRuntime, _options.ExcessiveSpeedup, staticFlags, _staticFindings);
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
            var worker = await StartWorkerAsync(phases, cancellationToken);
            var refKey = JobRequests.ReferenceKey(problem, _options.Settings, Environment.TorchVersion);
            if (worker.References.Contains(refKey))
                return;
            var verdicts = new VerdictFactory(problem, "", _options.Settings, Environment);
            if (await EnsureReferenceAsync(worker, problem, refKey, verdicts, phases, cancellationToken) is null)
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
            if (_worker is { Unhealthy: false, HasExited: false })
                return;
            var phases = new Dictionary<string, double>(StringComparer.Ordinal);
            await StartWorkerAsync(phases, cancellationToken);
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

    /// <summary>Problems whose reference <see cref="PrepareAsync"/> measured ahead of a candidate.</summary>
    public int ReferencesPrepared { get; private set; }

    /// <summary>Candidates this engine's worker loaded for a check (a build that failed elsewhere never counts).</summary>
    public int CandidatesLoaded { get; private set; }

    // The worker (started when there is none or the last one failed); its start-up time goes in phases.
    private async Task<WorkerProcess> StartWorkerAsync(Dictionary<string, double> phases, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var worker = await EnsureWorkerAsync(ct);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (seconds >= 0.001)
            phases["worker_start"] = seconds;
        return worker;
    }

    /// <summary>
    /// Makes the worker hold <paramref name="problem"/>'s reference outputs (and its times, for separate timing):
    /// nothing to do when it already does; else the reference job. Null, or the verdict a failed reference gives.
    /// </summary>
    private async Task<Verdict?> EnsureReferenceAsync(WorkerProcess worker, Problem problem, string refKey, VerdictFactory verdicts,
                                                       Dictionary<string, double> phases, CancellationToken ct)
    {
        if (worker.References.Contains(refKey))
            return null;
        var settings = _options.Settings;
        var timingKey = refKey + "|" + Environment.GpuName + "|" + Environment.GpuUuid;
        var known = _referenceTimes.TryGetValue(refKey, out var inMemory) ? inMemory : _timingCache.Get(timingKey);
        // Outputs are always recomputed in this worker; times only when no earlier run on this GPU measured them,
        // and never for interleaved timing, where each check times the reference beside its candidate.
        var interleaved = settings.TimingOrder == TimingOrders.Interleaved;
        var request = JobRequests.Reference(problem, known is null && !interleaved ? settings : settings with { MeasurePerformance = false }, refKey);
        var referenceStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var reference = await RunAsync(worker, request, _options.Worker.ReferenceTimeout, ct);
        phases["reference_job"] = System.Diagnostics.Stopwatch.GetElapsedTime(referenceStarted).TotalSeconds;
        foreach (var (name, seconds) in reference.Numbers("phase_seconds"))
            phases["reference." + name] = seconds;
        if (reference.Outcome != WorkerOutcome.Answered)
            return verdicts.FromFailure(reference, "the reference") with { Reason = $"the reference could not be measured: {reference.Detail}" };
        if (reference.Status != "ok")
            return verdicts.Make(VerdictStatus.RuntimeError, reference.Str("reason"), reference.OutputTail);
        worker.References.Clear(); // the worker keeps one problem's reference at a time
        worker.References.Add(refKey);
        if (!interleaved)
        {
            if (known is null && settings.MeasurePerformance)
                _timingCache.Put(timingKey, reference.Times("times_ms"));
            _referenceTimes.TryAdd(refKey, known ?? reference.Times("times_ms"));
        }
        return null;
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
            var (screened, staticFlags) = Screen(problem, source, new VerdictFactory(problem, sha, _options.Settings, Environment));
            if (screened is not null)
                return (screened, null, []);
            var worker = await EnsureWorkerAsync(ct);
            var (build, failed) = await BuildStageAsync(worker, new VerdictFactory(problem, sha, _options.Settings, Environment), source, sha, ct);
            return failed is not null ? (failed with { Flags = staticFlags }, null, []) : (null, build.Num("build_seconds"), VerdictFactory.BuildModes(build));
        }
        finally
        {
            _gate.Release();
        }
    }

    // Checks that need no worker: an unusable source, and the static validators under the policy (a rejection, or
    // flags to carry).
    private (Verdict? Done, List<string> StaticFlags) Screen(Problem problem, string source, VerdictFactory verdicts)
    {
        if (CandidateSource.Problem(source) is { } bad)
            return (verdicts.Make(VerdictStatus.CompileError, bad), []);
        var context = new CandidateContext(problem, source, _options.Settings.Backend);
        var findings = PolicyScreen.Apply(_options.Settings.Policy, _validators.SelectMany(v => v.Validate(context)), context, _options.Settings.Precision);
        var staticFlags = findings.Where(f => f.Severity == FindingSeverity.Flag).Select(f => f.Rule).Distinct().ToList();
        _staticFindings = PolicyScreen.ToVerdict(findings);
        if (findings.FirstOrDefault(f => f.Severity == FindingSeverity.Reject) is { } reject)
            return (verdicts.Make(VerdictStatus.Rejected, $"{reject.Rule}: {reject.Message}") with
            {
                Flags = findings.Select(f => f.Rule).Distinct().ToList(), Findings = _staticFindings,
            }, staticFlags);
        return (null, staticFlags);
    }

    private IReadOnlyList<VerdictFinding> _staticFindings = []; // under _gate: the last Screen's findings, for its verdict

    private async Task<(WorkerReply Build, Verdict? Failed)> BuildStageAsync(WorkerProcess worker, VerdictFactory verdicts, string source, string sha, CancellationToken ct)
    {
        var path = WriteCandidate(source, sha);
        var key = sha[..16];
        var build = await RunAsync(worker, JobRequests.Build(key, path, Path.Combine(_workDir, "ext", key), _options.Settings.Sandbox, verdicts.ProblemPath), _options.Worker.BuildTimeout, ct);
        if (build.Outcome != WorkerOutcome.Answered)
            return (build, verdicts.FromFailure(build, "build"));
        if (build.Status == "bad_input") // --require-sandbox on a machine that cannot give every part of it
            throw new BadInputException(build.Str("reason"));
        if (build.Status == "timeout")
            return (build, verdicts.Make(VerdictStatus.Timeout, build.Str("reason"), build.OutputTail));
        if (build.Status != "built")
            return (build, verdicts.Make(VerdictStatus.CompileError, build.Str("reason"), build.OutputTail) with { BuildSeconds = build.Num("build_seconds"), BuildModes = VerdictFactory.BuildModes(build) });
        _buildRecords.Put(sha, build); // every extension came from the cache: a later run may skip this build
        return (build, null);
    }

    /// <summary>The reference time a speedup divides: a published baseline when given, else the times measured beside
    /// the candidate (timing_order: interleaved), else the reference's own timing.</summary>
    private TimingSummary? ReferenceRuntime(Problem problem, string refKey, IReadOnlyList<double> paired)
    {
        if (_options.Baseline?.Find(problem.Level, problem.FileName) is { } published)
            return BaselineFile.ToSummary(published);
        if (paired.Count > 0)
            return TimingStatistics.Summarize(paired);
        return _referenceTimes.TryGetValue(refKey, out var times) ? TimingStatistics.Summarize(times) : null;
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
            var worker = await EnsureWorkerAsync(ct);
            // Timing only: no correctness outputs (Level 1's are gigabytes, made for nothing); the key says so too.
            var timingOnly = _options.Settings with { CorrectnessTrials = 0 };
            var refKey = JobRequests.ReferenceKey(problem, timingOnly, Environment.TorchVersion) + (compileMode is null ? "" : "|compile:" + compileMode);
            var request = JobRequests.Reference(problem, timingOnly, refKey);
            request["compile_mode"] = compileMode;
            var reply = await RunAsync(worker, request, _options.Worker.ReferenceTimeout, ct);
            if (reply.Outcome != WorkerOutcome.Answered)
                return ([], reply.Detail);
            if (reply.Status == "bad_input")
                throw new NotSupportedException(reply.Str("reason"));
            if (reply.Status != "ok")
                return ([], reply.Str("reason"));
            worker.References.Clear();
            worker.References.Add(refKey);
            return (reply.Times("times_ms"), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<WorkerReply> RunAsync(WorkerProcess worker, System.Text.Json.Nodes.JsonObject request, TimeSpan limit, CancellationToken ct)
    {
        request["gpu_lock_dir"] = _options.Worker.GpuLockFolder; // workers sharing a GPU take turns on it
        // The judge enforces the limit on the candidate's own process and answers "timeout" itself; this side's
        // timer, a little later, is the backstop for a judge that stops answering.
        request["timeout_s"] = limit.TotalSeconds;
        var reply = await worker.RunAsync(request, limit + JudgeMargin, ct);
        if (reply.Outcome != WorkerOutcome.Answered || reply.Flag("unhealthy"))
            worker.Unhealthy = true;
        return reply;
    }

    private async Task<WorkerProcess> EnsureWorkerAsync(CancellationToken ct)
    {
        if (_worker is { Unhealthy: false, HasExited: false })
            return _worker;
        _worker?.Dispose();
        _worker = null;
        var worker = await WorkerProcess.StartAsync(_options.Worker, ct);
        WorkersStarted++;
        Environment = WorkerHello.Describe(worker.Hello, _options.Settings.Device, _options.HarnessVersion);
        WorkerHello.CheckDevice(worker.Hello, _options.Settings.Device);
        _buildRecords.Observe(worker.Hello);
        _worker = worker;
        return worker;
    }

    private string WriteCandidate(string source, string sha)
    {
        Directory.CreateDirectory(_workDir);
        var path = Path.Combine(_workDir, sha[..16] + ".py");
        if (!File.Exists(path))
            AtomicFile.WriteAllText(path, source);
        return path;
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _worker = null;
        _gate.Dispose();
    }
}
