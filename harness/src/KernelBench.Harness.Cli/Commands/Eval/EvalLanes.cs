using System.Globalization;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>
/// The devices `kbh eval --candidates` judges on (`--device cuda`: every visible GPU; `--gpus 0,0`: two lanes on GPU 0,
/// the multi-GPU path on a one-GPU machine), behind the scheduler `kbh run` uses too (<see cref="CheckLanes"/>).
/// </summary>
internal static class EvalLanes
{
    public static CheckLanes Create(EvalCommand.Settings settings, EngineOptions options)
    {
        // The same devices `kbh run` gets; --gpus picks ordinals whatever cuda[:N] --device names.
        var devices = settings.Gpus is { } list
            ? MultiDeviceVerifier.DevicesFor("cuda", ParseGpus(list), GpuCount.Visible)
            : MultiDeviceVerifier.DevicesFor(settings.Device, null, GpuCount.Visible);
        return CheckLanes.Create(devices, settings.EffectiveWorkers, settings.Options.BuildWorkers, options);
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

