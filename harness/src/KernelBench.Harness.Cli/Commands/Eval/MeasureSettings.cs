using System.ComponentModel;
using System.Reflection;
using KernelBench.Harness.Core.Settings;
using KernelBench.Harness.Scoring.Engine;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>
/// The flags of the settings (<see cref="EvalOptions"/>), shared by `kbh eval` and `kbh baseline`. Each flag is text
/// handed to <see cref="SettingsParser"/>, the parser a run config's eval: section goes through, so types, ranges and
/// defaults live in the model alone (docs/settings.md). A flag per setting, named after it: SettingsParityTests.
/// </summary>
public class MeasureSettings : KernelBenchSettings
{
    [CommandOption("--device <DEVICE>")]
    [Description("cpu, cuda (every visible GPU) or cuda:N. Default: cuda.")]
    public string? DeviceFlag { get; init; }

    [CommandOption("--correctness-trials|--trials <N>")]
    [Description("Correctness trials, each with fresh inputs under its own seed. Default: 5.")]
    public string? CorrectnessTrialsFlag { get; init; }

    [CommandOption("--perf-trials <N>")]
    [Description("Timed trials after warm-up. Default: 100.")]
    public string? PerfTrialsFlag { get; init; }

    [CommandOption("--warmup <N>")]
    [Description("Warm-up runs before timing. Default: 3.")]
    public string? WarmupFlag { get; init; }

    [CommandOption("--no-perf")]
    [Description("Check correctness only.")]
    public bool NoPerfFlag { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Seed of the weights and of the first trial's inputs. Default: 42.")]
    public string? SeedFlag { get; init; }

    [CommandOption("--precision <P>")]
    [Description("fp32, fp16 or bf16: inputs and weights are cast to it. Default: fp32.")]
    public string? PrecisionFlag { get; init; }

    [CommandOption("--atol <X>")]
    [Description("Absolute tolerance. Default: 1e-4 for fp32, 1e-2 for fp16/bf16.")]
    public string? AtolFlag { get; init; }

    [CommandOption("--rtol <X>")]
    [Description("Relative tolerance. Default: as --atol's.")]
    public string? RtolFlag { get; init; }

    [CommandOption("--legacy-tolerance")]
    [Description("KernelBench v0/v0.1's atol = rtol = 1e-2 (the setting of the published 100%/96% results).")]
    public bool LegacyToleranceFlag { get; init; }

    [CommandOption("--timing <METHOD>")]
    [Description("cuda_event, do_bench, host_time (on a CPU, host time is used for these) or kernelbench (KernelBench's own cuda_event measurement, step for step, for speedups to put beside its own: autograd on, its warm-up, one discarded trial, a fresh L2 flush per trial, the reference timed separately; docs/timing-parity.md). Default: cuda_event.")]
    public string? TimingFlag { get; init; }

    [CommandOption("--timing-order <ORDER>")]
    [Description("interleaved (the reference timed again beside each candidate, trial by trial, so a drift between timing windows cancels in the speedup) or separate (as KernelBench: the reference timed once per problem). Default: interleaved; separate, the only order, with --timing do_bench or kernelbench.")]
    public string? TimingOrderFlag { get; init; }

    [CommandOption("--timeout-s|--timeout <SECONDS>")]
    [Description("Time limit of one check (correctness and timing). Default: 300.")]
    public string? TimeoutFlag { get; init; }

    [CommandOption("--build-timeout-s|--build-timeout <SECONDS>")]
    [Description("Time limit of one candidate's import, its builds included. Default: 600.")]
    public string? BuildTimeoutFlag { get; init; }

    [CommandOption("--policy <POLICY>")]
    [Description("Which findings reject: evidence (runtime evidence gathered during the checks), kernelbench (KernelBench's evaluator: correctness and timing only, findings flagged), kernelbench-static (plus KernelBench's static checker's errors) or strict (every rule at its own level, any try/except included). Default: evidence.")]
    public string? PolicyFlag { get; init; }

    [CommandOption("--inputs <WHERE>")]
    [Description("Where get_inputs() runs: cpu (as KernelBench, then copied to the device) or device (on the GPU: the same distributions, other values, far faster for Level 1). Default: cpu.")]
    public string? InputsFlag { get; init; }

    [CommandOption("--sandbox <MODE>")]
    [Description("The OS sandbox of candidate processes: auto (every part this machine allows; what is missing is said once and recorded in each verdict), require (refuse to judge without every part) or off. Default: auto.")]
    public string? SandboxFlag { get; init; }

    [CommandOption("--require-sandbox")]
    [Description("Same as --sandbox require.")]
    public bool RequireSandboxFlag { get; init; }

    [CommandOption("--builds <MODE>")]
    [Description("fast: compiles through kbh's launcher (object cache, light torch headers, precompiled headers on a GPU), each shortcut falling back to the plain compile; plain: torch's own build. Both cache whole extensions. Default: fast.")]
    public string? BuildsFlag { get; init; }

    [CommandOption("--backend <NAME>")]
    [Description("What the candidates are written in: cuda, cpp, triton, tilelang, cute, thunderkittens, pytorch. Default: cuda.")]
    public string? BackendFlag { get; init; }

    [CommandOption("--workers <N>")]
    [Description("Check workers per device (with --candidates), each judging one problem's candidates at a time; workers on one GPU take turns on it. Default: 2 with --device cuda, 1 on a CPU.")]
    public string? WorkersFlag { get; init; }

    [CommandOption("--build-workers <N>")]
    [Description("CPU workers building candidates ahead of the checks (with --candidates). Default with --device cuda: one per core the GPU workers leave; none on a CPU.")]
    public string? BuildWorkersFlag { get; init; }

    [CommandOption("--host-draws <WHERE>")]
    [Description("shared: a GPU worker's parallel draws of seeded weights and inputs also use the build workers' cores; own: its own cores only. Default: shared.")]
    public string? HostDrawsFlag { get; init; }

    [CommandOption("--pinned-gib <GIB>")]
    [Description("GiB of weights and kept inputs page-locked for the GPU copies; 0: none. Default: a tenth of the machine's memory, at most 16.")]
    public string? PinnedGibFlag { get; init; }

    [CommandOption("--init-memo-gib <GIB>")]
    [Description("GiB of a reference's seeded weight fills kept to copy into the candidate; 0: none. Default: 16.")]
    public string? InitMemoGibFlag { get; init; }

    private EvalOptions? _options;

    /// <summary>The settings these flags give (unset ones at the model's defaults).</summary>
    public EvalOptions Options => _options ??= SettingsParser.Parse(Given);

    public string Device => Options.Device;

    /// <summary>Each setting's flag property: the one whose flag names are the setting's flag (and its older alias).</summary>
    public static IReadOnlyDictionary<SettingInfo, PropertyInfo> FlagProperties { get; } = SettingInfo.All.ToDictionary(s => s,
        s => typeof(MeasureSettings).GetProperties().SingleOrDefault(p => p.GetCustomAttribute<CommandOptionAttribute>() is { } o && o.LongNames.Contains(s.Flag[2..]))
             ?? throw new InvalidOperationException($"setting {s.Key} has no flag {s.Flag} in {nameof(MeasureSettings)}"));

    private RawSetting? Given(SettingInfo s) => FlagProperties[s].GetValue(this) switch
    {
        true => new RawSetting("true", s.Flag),
        string text => new RawSetting(text, s.Flag),
        _ => null,
    };

    public override ValidationResult Validate()
    {
        var result = base.Validate();
        if (!result.Successful)
            return result;
        try
        {
            _options = SettingsParser.Parse(Given);
        }
        catch (SettingException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }

    public EngineOptions ToEngineOptions(string harnessVersion) => EngineOptions.From(Options, harnessVersion);
}
