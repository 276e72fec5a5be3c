using System.Text.Json.Nodes;

namespace KernelBench.Harness.Scoring.Workers.Protocol;

/// <summary>Imports a candidate in a process of its own, building its extensions.</summary>
/// <param name="ExtensionsDir">Where its extensions go; null: the worker's choice.</param>
/// <param name="Sandbox">auto, require or off.</param>
/// <param name="ProblemPath">The problem whose source runs before the candidate's in its module (KernelBench's
/// namespace); null: the candidate alone.</param>
public sealed record BuildJob(string CandidateKey, string CandidatePath, string? ExtensionsDir, string Sandbox = "auto", string? ProblemPath = null) : WorkerJob
{
    public override string Job => "build";

    protected override void WriteFields(JsonObject o)
    {
        o["candidate_key"] = CandidateKey;
        o["candidate_path"] = CandidatePath;
        o["extensions_dir"] = ExtensionsDir;
        o["sandbox"] = Sandbox;
        o["problem_path"] = ProblemPath;
    }
}
