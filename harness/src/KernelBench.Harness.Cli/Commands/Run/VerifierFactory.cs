using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Config;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;

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

    public static EngineOptions Options(RunConfig config) => EngineOptions.From(config.Eval, VersionInfo.Describe());
}
