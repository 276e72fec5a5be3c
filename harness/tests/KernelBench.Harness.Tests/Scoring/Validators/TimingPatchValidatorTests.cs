using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class TimingPatchValidatorTests
{
    private readonly TimingPatchValidator _validator = new();

    [TestCase("torch.cuda.Event.elapsed_time = lambda self, end: 0.001")]
    [TestCase("torch.cuda.synchronize = lambda *a, **k: None")]
    [TestCase("time.perf_counter = lambda: 0.0")]
    [TestCase("torch.allclose = lambda *a, **k: True")]
    [TestCase("setattr(torch.cuda, 'synchronize', lambda: None)")]
    public void Validate_PatchAtImport_Rejects(string patch)
    {
        var candidate = Candidates.WithForward("        return ext.scale_shift(x)", header: "import time\n" + patch);

        var finding = _validator.Validate(candidate).Single();

        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Reject));
        Assert.That(finding.Message, Does.StartWith("line 5:"));
    }

    [Test]
    public void Validate_ComparisonNotAssignment_Passes()
    {
        var candidate = Candidates.WithForward("""
                    if torch.cuda.synchronize == None:
                        raise RuntimeError("no cuda")
                    start = time.perf_counter()
                    return ext.scale_shift(x)
            """, header: "import time");

        Assert.That(_validator.Validate(candidate), Is.Empty);
    }

    [Test]
    public void Validate_PatchInsideCudaString_Passes()
    {
        var candidate = Candidates.WithForward("        return ext.scale_shift(x)", cppExtra: "// torch.cuda.synchronize = nothing here");

        Assert.That(_validator.Validate(candidate), Is.Empty);
    }

    [Test]
    public void Validate_CleanSampleCandidate_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean()), Is.Empty);
}
