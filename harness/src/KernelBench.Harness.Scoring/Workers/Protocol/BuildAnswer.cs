namespace KernelBench.Harness.Scoring.Workers.Protocol;

/// <summary>What a build job (or a check, which imports the candidate too) said of the candidate's extensions.</summary>
/// <param name="Status">built, compile_error, timeout, bad_input.</param>
/// <param name="BuildModes">How each extension was built (see <see cref="Verdicts.Verdict.BuildModes"/>).</param>
/// <param name="Kinds">cpp and/or cuda: what the extensions were.</param>
public sealed record BuildAnswer(string Status, string Reason, double? BuildSeconds, double? ExtensionsBuilt,
                                 IReadOnlyList<string> BuildModes, IReadOnlyList<string> Kinds, string OutputTail)
{
    public static BuildAnswer From(WorkerReply reply) => new(
        reply.Status, reply.Str("reason"), reply.Num("build_seconds"), reply.Num("extensions_built"),
        reply.Array("build_modes").Where(m => m.ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(m => m.GetString() ?? "").Where(m => m.Length > 0).ToList(),
        reply.Array("kinds").Where(k => k.ValueKind == System.Text.Json.JsonValueKind.String).Select(k => k.GetString() ?? "").ToList(),
        reply.OutputTail);
}
