using System.Globalization;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>
/// The verifiers `kbh eval --candidates` judges with: one engine per device and worker, behind the same
/// <see cref="MultiDeviceVerifier"/> that `kbh run` uses, so each problem is pinned to one GPU for its reference and all
/// its candidates. `--device cuda` takes every visible GPU; `--gpus 0,0` puts two workers on one GPU (the multi-GPU
/// path on a one-GPU machine); `--workers N` gives each device N workers (default 2 on a GPU: they take turns on it,
/// one preparing the next candidate on the host while the other is timed); `--build-workers N` CPU workers build ahead.
/// </summary>
internal static class EvalLanes
{
    public static EvalVerifier Create(EvalCommand.Settings settings, EngineOptions options)
    {
        // The same devices `kbh run` gets; --gpus picks ordinals whatever cuda[:N] --device names.
        var devices = settings.Gpus is { } list
            ? MultiDeviceVerifier.DevicesFor("cuda", ParseGpus(list), GpuCount.Visible)
            : MultiDeviceVerifier.DevicesFor(settings.Device, null, GpuCount.Visible);
        var lanes = devices.SelectMany(d => Enumerable.Repeat(d, settings.EffectiveWorkers)).ToList();
        // On a GPU, each GPU worker gets cores of its own and the builds share the rest (CpuPlan says why).
        var cpus = settings.Device.StartsWith("cuda", StringComparison.Ordinal)
            ? CpuPlan.For(CpuPlan.AllowedCores(), lanes.Count)
            : CpuPlan.None(lanes.Count);
        var lane = 0;
        var checks = new MultiDeviceVerifier(lanes,
            device => new CandidateEngine(options with
            {
                Settings = options.Settings with { Device = device },
                Worker = options.Worker with { Cpus = cpus.GpuWorkers[lane++] },
            }, ScoringValidators.Default()),
            workersPerDevice: 1);
        var builders = PipelinedVerifier.DefaultWorkers(settings.BuildWorkers ?? cpus.BuildWorkers?.Count, settings.Device);
        var buildOptions = options.ForBuildWorker();
        buildOptions = buildOptions with { Worker = buildOptions.Worker with { Cpus = cpus.BuildWorkers } };
        var verifier = PipelinedVerifier.Wrap(checks, () => new CandidateEngine(buildOptions, ScoringValidators.Default()), builders);
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
