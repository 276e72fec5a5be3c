using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>The engine's jobs for the worker (<see cref="WorkerJob"/>), and the key that names one reference measurement.</summary>
public static class JobRequests
{
    /// <param name="problemPath">The problem whose source runs before the candidate's in its module (KernelBench's
    /// namespace); null: the candidate alone.</param>
    public static BuildJob Build(string candidateKey, string candidatePath, string? extensionsDir, string sandbox = "auto", string? problemPath = null) =>
        new(candidateKey, candidatePath, extensionsDir, sandbox, problemPath);

    public static ReferenceJob Reference(Problem problem, EvalSettings s, string refKey) => new(problem.Path, refKey, s);

    /// <summary>A check; when this worker did not build the candidate it imports it again, loading its extensions from
    /// <paramref name="extensionsDir"/> (where a build worker left them).</summary>
    public static CheckJob Check(Problem problem, EvalSettings s, string refKey, string candidateKey, string candidatePath, string? extensionsDir = null) =>
        new(problem.Path, refKey, s, candidateKey, candidatePath, extensionsDir);

    /// <summary>Names one reference measurement: same problem version, device, settings and software give the same outputs.</summary>
    public static string ReferenceKey(Problem problem, EvalSettings s, string torchVersion) =>
        string.Join('|', problem.Sha256, s.Device, s.Precision, s.Seed, s.CorrectnessTrials, s.PerfTrials, s.WarmupRuns,
            s.TimingMethod, s.TimingOrder, s.MeasurePerformance, s.Inputs, torchVersion);
}
