namespace KernelBench.Harness.Scoring.Workers.Protocol;

/// <summary>What a reference job answered: ok (its outputs are held in the worker) or why not, and its times.</summary>
public sealed record ReferenceAnswer(string Status, string Reason, IReadOnlyList<double> TimesMs, IReadOnlyDictionary<string, double> PhaseSeconds)
{
    public static ReferenceAnswer From(WorkerReply reply) =>
        new(reply.Status, reply.Str("reason"), reply.Times("times_ms"), reply.Numbers("phase_seconds"));
}
