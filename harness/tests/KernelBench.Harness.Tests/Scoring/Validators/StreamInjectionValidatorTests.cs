using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class StreamInjectionValidatorTests
{
    private readonly StreamInjectionValidator _validator = new();

    [Test]
    public void Validate_SideStreamInPython_Flags()
    {
        var candidate = Candidates.WithForward("""
                    side = torch.cuda.Stream()
                    with torch.cuda.stream(side):
                        return ext.scale_shift(x)
            """);

        var finding = _validator.Validate(candidate).Single();

        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Flag));
        Assert.That(finding.Message, Does.StartWith("line 21:"));
    }

    [Test]
    public void Validate_CudaStreamCreateInCudaSource_Flags()
    {
        var candidate = Candidates.WithForward("        return ext.scale_shift(x)",
            cppExtra: "static cudaStream_t make() { cudaStream_t s; cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking); return s; }");

        var finding = _validator.Validate(candidate).Single();

        Assert.That(finding.Message, Does.StartWith("line 7:").And.Contain("cudaStreamCreateWithFlags"));
    }

    [Test]
    public void Validate_StreamCreateInCComment_Passes()
    {
        var candidate = Candidates.WithForward("        return ext.scale_shift(x)",
            cppExtra: "// no cudaStreamCreate here: we use the current stream\n/* torch.cuda.Stream() neither */");

        Assert.That(_validator.Validate(candidate), Is.Empty);
    }

    [Test]
    public void Validate_CleanSampleCandidate_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean()), Is.Empty);
}
