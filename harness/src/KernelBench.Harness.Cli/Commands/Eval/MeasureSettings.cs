using System.ComponentModel;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>Options shared by `kbh eval` and `kbh baseline`: device, precision, trials, timing and limits.</summary>
public class MeasureSettings : KernelBenchSettings
{
    [CommandOption("--device <DEVICE>")]
    [Description("cpu, cuda or cuda:N.")]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";

    [CommandOption("--precision <P>")]
    [Description("fp32, fp16 or bf16: inputs and weights are cast to it; tolerance 1e-4 for fp32, 1e-2 otherwise.")]
    [DefaultValue("fp32")]
    public string Precision { get; init; } = "fp32";

    [CommandOption("--legacy-tolerance")]
    [Description("Use KernelBench v0/v0.1's atol = rtol = 1e-2 (the setting of the published 100%/96% results).")]
    public bool LegacyTolerance { get; init; }

    [CommandOption("--backend <NAME>")]
    [Description("What the candidates are written in: cuda, cpp, triton, tilelang, cute, thunderkittens.")]
    [DefaultValue("cuda")]
    public string Backend { get; init; } = "cuda";

    [CommandOption("--trials <N>")]
    [Description("Correctness trials, each with fresh inputs under its own seed.")]
    [DefaultValue(5)]
    public int Trials { get; init; } = 5;

    [CommandOption("--perf-trials <N>")]
    [Description("Timed trials after warm-up.")]
    [DefaultValue(100)]
    public int PerfTrials { get; init; } = 100;

    [CommandOption("--warmup <N>")]
    [Description("Warm-up runs before timing.")]
    [DefaultValue(3)]
    public int Warmup { get; init; } = 3;

    [CommandOption("--seed <N>")]
    [DefaultValue(42L)]
    public long Seed { get; init; } = 42;

    [CommandOption("--timing <METHOD>")]
    [Description("cuda_event, do_bench, host_time (on CPU, host time is always used) or kernelbench (KernelBench's own cuda_event measurement, step for step, for speedups to put beside its own: autograd on, its warm-up, one discarded trial, a fresh L2 flush per trial, the reference timed separately; docs/timing-parity.md).")]
    [DefaultValue("cuda_event")]
    public string Timing { get; init; } = "cuda_event";

    [CommandOption("--timing-order <ORDER>")]
    [Description("interleaved (default: the reference timed again beside each candidate, trial by trial, so a drift between timing windows cancels in the speedup) or separate (as KernelBench: the reference timed once per problem; the default, and the only order, with --timing do_bench or kernelbench).")]
    public string? TimingOrder { get; init; }

    /// <summary>--timing-order as given, else interleaved (separate for do_bench and kernelbench, which cannot interleave).</summary>
    public string EffectiveTimingOrder => TimingOrder ?? TimingOrders.DefaultFor(Timing);

    [CommandOption("--inputs <WHERE>")]
    [Description("Where get_inputs() runs: cpu (as KernelBench, then copied to the device) or device (on the GPU: the same distributions, other values, far faster for Level 1).")]
    [DefaultValue("cpu")]
    public string Inputs { get; init; } = "cpu";

    [CommandOption("--sandbox <MODE>")]
    [Description("The OS sandbox of candidate processes: auto (every part this machine allows; what is missing is said once and recorded in each verdict), require (refuse to judge without every part) or off.")]
    [DefaultValue("auto")]
    public string Sandbox { get; init; } = "auto";

    [CommandOption("--require-sandbox")]
    [Description("Same as --sandbox require.")]
    public bool RequireSandbox { get; init; }

    /// <summary>--sandbox, or require with --require-sandbox.</summary>
    public string EffectiveSandbox => RequireSandbox ? "require" : Sandbox;

    [CommandOption("--builds <MODE>")]
    [Description("fast: compiles through kbh's launcher (object cache, light torch headers, precompiled headers on a GPU), each shortcut falling back to the plain compile; plain: torch's own build. Both cache whole extensions.")]
    [DefaultValue("fast")]
    public string Builds { get; init; } = "fast";

    [CommandOption("--policy <POLICY>")]
    [Description("Which findings reject: evidence (default: runtime evidence gathered during the checks), kernelbench (KernelBench's evaluator: correctness and timing only, findings flagged), kernelbench-static (plus KernelBench's static checker's errors) or strict (every rule at its own level, any try/except included).")]
    [DefaultValue(Policies.Default)]
    public string Policy { get; init; } = Policies.Default;

    [CommandOption("--no-perf")]
    [Description("Check correctness only.")]
    public bool NoPerf { get; init; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("Time limit of one check (correctness and timing).")]
    [DefaultValue(300.0)]
    public double Timeout { get; init; } = 300;

    [CommandOption("--build-timeout <SECONDS>")]
    [Description("Time limit of one candidate's import, its builds included.")]
    [DefaultValue(600.0)]
    public double BuildTimeout { get; init; } = 600;

    public override ValidationResult Validate()
    {
        var result = base.Validate();
        if (!result.Successful)
            return result;
        if (Device != "cpu" && !System.Text.RegularExpressions.Regex.IsMatch(Device, @"^cuda(:\d+)?$"))
            return ValidationResult.Error($"--device {Device}: expected cpu, cuda or cuda:N.");
        if (!Tolerances.Precisions.Contains(Precision))
            return ValidationResult.Error($"--precision {Precision}: expected fp32, fp16 or bf16.");
        if (Inputs is not ("cpu" or "device"))
            return ValidationResult.Error($"--inputs {Inputs}: expected cpu or device.");
        if (Sandbox is not ("auto" or "require" or "off"))
            return ValidationResult.Error($"--sandbox {Sandbox}: expected auto, require or off.");
        if (!Policies.IsKnown(Policy))
            return ValidationResult.Error($"--policy {Policy}: expected {string.Join(", ", Policies.All)}.");
        if (Builds is not ("fast" or "plain"))
            return ValidationResult.Error($"--builds {Builds}: expected fast or plain.");
        if (!TimingMethods.IsKnown(Timing))
            return ValidationResult.Error($"--timing {Timing}: expected cuda_event, do_bench, host_time or kernelbench.");
        if (TimingOrder is not null && !TimingOrders.IsKnown(TimingOrder))
            return ValidationResult.Error($"--timing-order {TimingOrder}: expected separate or interleaved.");
        if (TimingOrder == TimingOrders.Interleaved && TimingMethods.TimesAlone(Timing))
            return ValidationResult.Error($"--timing-order interleaved times with cuda_event or host_time, not {Timing}.");
        if (Trials < 1 || PerfTrials < 1 || Warmup < 0)
            return ValidationResult.Error("--trials and --perf-trials must be at least 1, --warmup at least 0.");
        if (Timeout <= 0 || BuildTimeout <= 0)
            return ValidationResult.Error("--timeout and --build-timeout must be positive.");
        return ValidationResult.Success();
    }

    public EngineOptions ToEngineOptions(string harnessVersion) => new()
    {
        HarnessVersion = harnessVersion,
        Settings = new EvalSettings
        {
            CorrectnessTrials = Trials, PerfTrials = PerfTrials, WarmupRuns = Warmup, Seed = Seed,
            Atol = Tolerances.For(Precision, LegacyTolerance), Rtol = Tolerances.For(Precision, LegacyTolerance),
            Precision = Precision, TimingMethod = TimingMethods.OnDevice(Timing, Device), TimingOrder = EffectiveTimingOrder, Device = Device,
            Backend = Backend, TimeoutSeconds = Timeout, MeasurePerformance = !NoPerf, Inputs = Inputs,
            Sandbox = EffectiveSandbox, Policy = Policy,
        },
        Worker = WorkerOptions.ForBuilds(new WorkerOptions
        {
            CheckTimeout = TimeSpan.FromSeconds(Timeout),
            BuildTimeout = TimeSpan.FromSeconds(BuildTimeout),
            ReferenceTimeout = TimeSpan.FromSeconds(Math.Max(Timeout, 600)),
        }, Builds, Device),
    };
}
