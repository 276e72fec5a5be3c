using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Config;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Cli.Commands.Run;

/// <summary>
/// The one place `kbh run` gets its verifier: the scoring engine built from the run config's eval: and device, one
/// engine per GPU when the run has several (device: cuda on a multi-GPU node, or gpus: [...]); each problem is then
/// pinned to one GPU for its reference and its candidates (Scoring/Devices/MultiDeviceVerifier).
/// </summary>
public static class VerifierFactory
{
    /// <summary>The run's verifier: the GPU engines, behind CPU build workers when the run has any (eval.build_workers).</summary>
    public static IDisposableVerifier Create(RunConfig config)
    {
        var checks = MultiDeviceVerifier.For(config.Device, config.Gpus, GpuCount.Visible,
            device => new CandidateEngine(Options(config with { Device = device }), ScoringValidators.Default()));
        return PipelinedVerifier.Wrap(checks, () => new CandidateEngine(Options(config).ForBuildWorker(), ScoringValidators.Default()),
            PipelinedVerifier.DefaultWorkers(config.Eval.BuildWorkers, config.Device));
    }

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
                // No CUDA events on a CPU: wall-clock timing there, as `kbh eval --device cpu` does.
                TimingMethod = config.Device == "cpu" ? "host_time" : eval.Timing,
                Device = config.Device, Backend = eval.Backend, TimeoutSeconds = eval.TimeoutSeconds, Inputs = eval.Inputs,
            },
            Worker = WorkerOptions.ForBuilds(new WorkerOptions
            {
                CheckTimeout = TimeSpan.FromSeconds(eval.TimeoutSeconds),
                ReferenceTimeout = TimeSpan.FromSeconds(Math.Max(eval.TimeoutSeconds, 600)),
            }, eval.Builds, config.Device),
        };
    }
}
