namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// Says once per run (per process), on stderr, which parts of the candidates' OS sandbox this machine could not give
/// and why: the verdicts record it too, but a researcher should not have to find it there.
/// </summary>
public static class SandboxNotice
{
    private static int _said;

    public static void SayOnce(IReadOnlyDictionary<string, string> sandbox)
    {
        var missing = sandbox.Where(p => p.Key.StartsWith("missing.", StringComparison.Ordinal))
            .Select(p => $"{p.Key["missing.".Length..]} ({p.Value})").ToList();
        if (missing.Count == 0 || Interlocked.Exchange(ref _said, 1) == 1)
            return;
        Console.Error.WriteLine($"kbh: candidates run without part of their sandbox: {string.Join("; ", missing)}. " +
                                "Each verdict records it; --require-sandbox (eval.require_sandbox: true) refuses to judge without it. " +
                                "See docs/threat-model.md.");
    }
}
