using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Searches the candidate's Python outside a copied reference `class Model`: candidates often keep the reference for
/// comparison, and its PyTorch ops say nothing about what ModelNew computes with (ModelNew using Model is the
/// code-bypass rule's business).
/// </summary>
internal static class ReferenceFree
{
    public static CandidateViews.Hit? Find(CandidateViews source, Regex pattern)
    {
        if (source.ClassBody("Model") is not { } reference)
            return source.FindInCode(pattern);
        return source.FindInCode(pattern, 0, reference.Start) ?? source.FindInCode(pattern, reference.End);
    }
}
