using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>A problem's own reference as a candidate (class Model renamed to ModelNew): the identity check of a verifier,
/// which must call it correct with a speedup near 1.</summary>
public static partial class ReferenceCandidate
{
    public static string From(string problemSource) =>
        SuperCall().Replace(ClassLine().Replace(problemSource, "class ModelNew$1"), "super(ModelNew$1");

    [GeneratedRegex(@"(?m)^class\s+Model\b(\s*[\(:])")]
    private static partial Regex ClassLine();

    [GeneratedRegex(@"super\(\s*Model\b(\s*,)")]
    private static partial Regex SuperCall();
}
