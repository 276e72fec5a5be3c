using System.Text.Json.Nodes;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Workers.Protocol;

/// <summary>A job that runs a problem under the evaluation settings: the reference, or a check of a candidate.</summary>
public abstract record MeasureJob(string ProblemPath, string RefKey, EvalSettings Settings) : WorkerJob
{
    protected override void WriteFields(JsonObject o)
    {
        var s = Settings;
        o["problem_path"] = ProblemPath;
        o["ref_key"] = RefKey;
        o["device"] = s.Device;
        o["precision"] = s.Precision;
        o["seed"] = s.Seed;
        o["correctness_trials"] = s.CorrectnessTrials;
        o["perf_trials"] = s.PerfTrials;
        o["warmup"] = s.WarmupRuns;
        o["timing_method"] = s.TimingMethod;
        o["timing_order"] = s.TimingOrder;
        o["atol"] = s.Atol;
        o["rtol"] = s.Rtol;
        o["measure_performance"] = s.MeasurePerformance;
        o["inputs"] = s.Inputs;
        o["sandbox"] = s.Sandbox;
        o["policy"] = s.Policy;
        // A kernel is asked for unless the candidates are plain PyTorch (no_custom_kernel is measured on a GPU only).
        o["expects_kernel"] = s.Backend is "cuda" or "triton";
    }
}

/// <summary>Measures the reference: its outputs (kept in the worker under <see cref="MeasureJob.RefKey"/>) and times.</summary>
/// <param name="CompileMode">Time it under torch.compile (inductor, that mode) instead of eagerly (`kbh baseline --compile`).</param>
public sealed record ReferenceJob(string ProblemPath, string RefKey, EvalSettings Settings, string? CompileMode = null)
    : MeasureJob(ProblemPath, RefKey, Settings)
{
    public override string Job => "reference";

    /// <summary>Where the timed checks after it write candidate files: the worker starts the first one's process
    /// beside the reference (kbh_jobs._spare_ahead). Null: no process is started ahead.</summary>
    public string? CandidatesFolder { get; init; }

    protected override void WriteFields(JsonObject o)
    {
        base.WriteFields(o);
        if (CompileMode is not null)
            o["compile_mode"] = CompileMode;
        if (CandidatesFolder is not null)
            o["candidates_folder"] = CandidatesFolder;
    }
}

/// <summary>Checks a candidate against the reference the worker holds; when this worker did not build it, its
/// extensions load from <see cref="ExtensionsDir"/> (where a build worker left them).</summary>
public sealed record CheckJob(string ProblemPath, string RefKey, EvalSettings Settings, string CandidateKey, string CandidatePath, string? ExtensionsDir = null)
    : MeasureJob(ProblemPath, RefKey, Settings)
{
    public override string Job => "check";

    protected override void WriteFields(JsonObject o)
    {
        base.WriteFields(o);
        o["candidate_key"] = CandidateKey;
        o["candidate_path"] = CandidatePath;
        o["extensions_dir"] = ExtensionsDir;
    }
}
