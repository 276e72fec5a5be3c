using System.Globalization;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>
/// The verifiers `kbh eval --candidates` judges with: one engine per device and worker, behind the same
/// <see cref="MultiDeviceVerifier"/> that `kbh run` uses, so each problem is pinned to one GPU for its reference and all
/// its candidates. `--device cuda` takes every visible GPU; `--gpus 0,0` puts two workers on one GPU (the multi-GPU
/// path on a one-GPU machine); `--workers N` gives each device N workers; `--build-workers N` CPU workers build ahead.
/// </summary>
internal static class EvalLanes
{
    public static EvalVerifier Create(EvalCommand.Settings settings, EngineOptions options)
    {
        // The same devices `kbh run` gets; --gpus picks ordinals whatever cuda[:N] --device names.
        var devices = settings.Gpus is { } list
            ? MultiDeviceVerifier.DevicesFor("cuda", ParseGpus(list), GpuCount.Visible)
            : MultiDeviceVerifier.DevicesFor(settings.Device, null, GpuCount.Visible);
        var lanes = devices.SelectMany(d => Enumerable.Repeat(d, settings.Workers)).ToList();
        var checks = new MultiDeviceVerifier(lanes,
            device => new CandidateEngine(options with { Settings = options.Settings with { Device = device } }, ScoringValidators.Default()),
            workersPerDevice: 1);
        var builders = PipelinedVerifier.DefaultWorkers(settings.BuildWorkers, settings.Device);
        var verifier = PipelinedVerifier.Wrap(checks, () => new CandidateEngine(options.ForBuildWorker(), ScoringValidators.Default()), builders);
        return new EvalVerifier(verifier, lanes.Count, verifier as PipelinedVerifier);
    }

    /// <summary>"0,1" → [0, 1]; null when any part is not a non-negative integer.</summary>
    public static IReadOnlyList<int>? ParseGpus(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var ordinals = new List<int>();
        foreach (var p in parts)
        {
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
                return null;
            ordinals.Add(i);
        }
        return ordinals.Count == 0 ? null : ordinals;
    }
}

/// <summary>What `kbh eval --candidates` judges with: the verifier, how many checks run at once, and the build pipeline (if any).</summary>
internal sealed record EvalVerifier(IDisposableVerifier Verifier, int Lanes, PipelinedVerifier? Pipeline) : IDisposable
{
    public void Dispose() => Verifier.Dispose();
}
