using System.Text.RegularExpressions;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Scoring.Validators;

/// <summary>
/// False-positive guard over the real KernelBench data: every Level 1-3 reference submitted as its own candidate
/// (renamed to ModelNew, as the GPU proof run does) may be flagged for PyTorch ops but must never be rejected.
/// </summary>
[TestFixture]
public class KernelBenchReferencesTests
{
    [Test]
    [Category("KernelBench")]
    public void Run_ReferencesRenamedToModelNew_NoRejections()
    {
        var problems = ProblemLoader.Load(Paths.KernelBench).Problems.Where(p => p.Level <= 3).ToList();
        Assume.That(problems, Has.Count.GreaterThan(200));

        var results = problems
            .Select(p => (p, Findings: ValidatorSet.Default.Run(new CandidateContext(p, Regex.Replace(p.Source, @"\bModel\b", "ModelNew"), "cuda"))))
            .ToList();
        var rejected = results
            .Where(r => r.Findings.Any(f => f.Severity == FindingSeverity.Reject))
            .Select(r => $"{r.p.Key} {r.p.Name}: {r.Findings.First(f => f.Severity == FindingSeverity.Reject).Message}")
            .ToList();

        Assert.That(rejected, Is.Empty);
        // The references compute with PyTorch, so the flag rules must see nearly all of them: proof the rules ran.
        Assert.That(results.Count(r => r.Findings.Any(f => f.Rule is "pytorch_wrap" or "torch_computation_ops")),
            Is.GreaterThan(problems.Count * 9 / 10));
    }
}
