using KernelBench.Harness.Store;

namespace KernelBench.Harness.Tests.Support;

/// <summary>
/// What two runs of the same work must agree on, whatever machines did it: per attempt its problem, chain, index,
/// status and code hash, sorted (timestamps, run ids and write order differ between a sharded and a single run).
/// </summary>
public static class RunSignature
{
    public static IReadOnlyList<string> Of(string runFolder) => RunStore.Open(runFolder).ReadAttempts().Attempts
        .Select(a => $"{a.ProblemKey} chain {a.Chain} #{a.Index} {a.Status} {a.CodeSha256}").Order(StringComparer.Ordinal).ToList();

    /// <summary>A config for the 4 sample problems answered by the hand-written demo transcripts (replay, CPU).</summary>
    public static string DemoConfig(string folder, string outName)
    {
        var path = Path.Combine(folder, outName + ".yaml");
        File.WriteAllText(path, $"""
            kernelbench: {Paths.SampleProblems}
            problems: {"{"} levels: [1, 2] {"}"}
            model: {"{"} provider: replay, name: demo-hand-written, replay_from: {Path.Combine(Paths.SampleProblems, "demo-run")} {"}"}
            budget: {"{"} attempts: 3 {"}"}
            strategy: sequential
            stop_at_speedup: 0
            device: cpu
            out: {Path.Combine(folder, outName)}
            eval: {"{"} backend: cpp, correctness_trials: 3, perf_trials: 10 {"}"}
            """);
        return path;
    }
}
