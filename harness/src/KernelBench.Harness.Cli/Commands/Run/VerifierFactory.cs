using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Config;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Cli.Commands.Run;

/// <summary>
/// The one place `kbh run` gets its verifier: the scoring engine built from the run config's eval: and device, behind
/// the scheduler `kbh eval --candidates` uses too (<see cref="CheckLanes"/>): eval.workers check workers per GPU (two
/// by default, taking turns on it), one engine set per GPU when the run has several (device: cuda on a multi-GPU node,
/// or gpus: [...]), each problem pinned to one worker for its reference and its candidates, CPU build workers ahead.
/// </summary>
public static class VerifierFactory
{
    public static CheckLanes Create(RunConfig config) =>
        CheckLanes.Create(MultiDeviceVerifier.DevicesFor(config.Device, config.Gpus, GpuCount.Visible),
            CheckLanes.DefaultWorkers(config.Eval.Workers, config.Device), config.Eval.BuildWorkers, Options(config));

    public static EngineOptions Options(RunConfig config)
    {
        var eval = config.Eval;
        var tolerance = Tolerances.For(eval.Precision, eval.LegacyTolerance);
        return new EngineOptions
        {
            HarnessVersion = VersionInfo.Describe(),
            Settings = new EvalSettings
            {
                CorrectnessTrials = eval.CorrectnessTrials, PerfTrials = eval.PerfTrials, Seed = eval.Seed,
                Atol = eval.Atol ?? tolerance, Rtol = eval.Rtol ?? tolerance, Precision = eval.Precision,
                // No CUDA events on a CPU: wall-clock timing there, as `kbh eval --device cpu` does (TimingMethods).
                TimingMethod = TimingMethods.OnDevice(eval.Timing, config.Device), TimingOrder = eval.TimingOrder,
                Device = config.Device, Backend = eval.Backend, TimeoutSeconds = eval.TimeoutSeconds, Inputs = eval.Inputs,
                Sandbox = eval.RequireSandbox ? "require" : eval.Sandbox, Policy = eval.Policy,
            },
            Worker = WorkerOptions.ForBuilds(new WorkerOptions
            {
                CheckTimeout = TimeSpan.FromSeconds(eval.TimeoutSeconds),
                ReferenceTimeout = TimeSpan.FromSeconds(Math.Max(eval.TimeoutSeconds, 600)),
            }, eval.Builds, config.Device),
        };
    }
}
