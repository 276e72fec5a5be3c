using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// The reference stage: makes the worker hold a problem's reference outputs (the worker keeps one problem's at a
/// time), timing the reference only when no earlier run on this GPU did.
/// </summary>
/// <param name="candidatesFolder">Where candidate files are written: the worker starts the process for the first check
/// after the reference with the sandbox that check's process gets.</param>
internal sealed class ReferenceStage(EngineOptions options, EngineWorker workers, ReferenceTimes times, string? candidatesFolder = null)
{
    /// <summary>Nothing to do when the worker already holds <paramref name="refKey"/>; else the reference job. Null, or
    /// the verdict a failed reference gives. The job's time and its own phases go in <paramref name="phases"/>.</summary>
    public async Task<Verdict?> EnsureAsync(WorkerProcess worker, Problem problem, string refKey, VerdictFactory verdicts,
                                            Dictionary<string, double> phases, CancellationToken ct)
    {
        if (worker.References.Contains(refKey))
            return null;
        var settings = options.Settings;
        var timingKey = ReferenceTimes.TimingKey(refKey, workers.Environment);
        var known = times.Known(refKey, timingKey);
        // Outputs are always recomputed in this worker; times only when no earlier run on this GPU measured them,
        // and never for interleaved timing, where each check times the reference beside its candidate.
        var interleaved = settings.TimingOrder == TimingOrders.Interleaved;
        var request = JobRequests.Reference(problem, known is null && !interleaved ? settings : settings with { MeasurePerformance = false }, refKey)
            with { CandidatesFolder = settings.MeasurePerformance ? candidatesFolder : null };
        var referenceStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var reference = await workers.RunAsync(worker, request, options.Worker.ReferenceTimeout, ct);
        phases["reference_job"] = System.Diagnostics.Stopwatch.GetElapsedTime(referenceStarted).TotalSeconds;
        var answer = ReferenceAnswer.From(reference);
        foreach (var (name, seconds) in answer.PhaseSeconds)
            phases["reference." + name] = seconds;
        if (reference.Outcome != WorkerOutcome.Answered)
            return verdicts.FromFailure(reference, "the reference") with { Reason = $"the reference could not be measured: {reference.Detail}" };
        if (answer.Status != "ok")
            return verdicts.Make(VerdictStatus.RuntimeError, answer.Reason, reference.OutputTail);
        worker.References.Clear(); // the worker keeps one problem's reference at a time
        worker.References.Add(refKey);
        if (!interleaved)
            times.Record(refKey, timingKey, known, answer.TimesMs, settings.MeasurePerformance);
        return null;
    }
}
