using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class ValidatorSetTests
{
    private static readonly CandidateContext MatmulWithThread = Candidates.WithForward(
        "        return torch.matmul(x, x)", header: "import threading", cppExtra: "__global__ void unused_kernel() {}");

    [Test]
    public void Default_CoversKernelBenchCategories_InOnePlace() =>
        Assert.That(ValidatorSet.Default.Rules, Is.EquivalentTo(new[]
        {
            "code_bypass", "timing_event_patch", "thread_injection", "lazy_eval",
            "pytorch_wrap", "torch_computation_ops", "stream_injection", "precision_downgrade", "backend_impl",
        }));

    [Test]
    public void Run_HackedCandidate_ReturnsFindingsOfEveryRuleAtDefaultLevels()
    {
        var findings = ValidatorSet.Default.Run(MatmulWithThread);

        Assert.That(findings.Select(f => (f.Rule, f.Severity)), Is.EqualTo(new[]
        {
            ("thread_injection", FindingSeverity.Reject),
            ("torch_computation_ops", FindingSeverity.Flag),
        }));
    }

    [Test]
    public void WithSeverities_RaiseOpsToRejectAndSwitchThreadsOff_AppliesBoth()
    {
        var set = ValidatorSet.Default.WithSeverities(new Dictionary<string, string>
        {
            ["torch_computation_ops"] = "reject",
            ["thread_injection"] = "off",
        });

        var findings = set.Run(MatmulWithThread);

        Assert.That(findings.Select(f => (f.Rule, f.Severity)), Is.EqualTo(new[] { ("torch_computation_ops", FindingSeverity.Reject) }));
    }

    [Test]
    public void WithSeverity_UnknownRule_ThrowsBadInputNamingIt()
    {
        var e = Assert.Throws<BadInputException>(() => ValidatorSet.Default.WithSeverity("no_such_rule", FindingSeverity.Flag));
        Assert.That(e!.Message, Does.Contain("no_such_rule").And.Contain("code_bypass"));
    }

    [Test]
    public void WithSeverities_UnknownLevel_ThrowsBadInputNamingIt()
    {
        var e = Assert.Throws<BadInputException>(() =>
            ValidatorSet.Default.WithSeverities(new Dictionary<string, string> { ["lazy_eval"] = "maybe" }));
        Assert.That(e!.Message, Does.Contain("lazy_eval").And.Contain("maybe"));
    }

    [Test]
    public void Run_AllSampleCorrectCandidates_NoRejection()
    {
        var root = Path.Combine(Support.Paths.SampleCandidates, "correct");
        foreach (var file in Directory.EnumerateFiles(root, "*.py", SearchOption.AllDirectories))
        {
            var level = int.Parse(Path.GetFileName(Path.GetDirectoryName(file)!)["level".Length..]);
            var id = int.Parse(Path.GetFileNameWithoutExtension(file));
            var candidate = new CandidateContext(Candidates.Problem(level, id), File.ReadAllText(file), "cuda");
            Assert.That(ValidatorSet.Default.Run(candidate).Where(f => f.Severity == FindingSeverity.Reject), Is.Empty, file);
        }
    }
}
