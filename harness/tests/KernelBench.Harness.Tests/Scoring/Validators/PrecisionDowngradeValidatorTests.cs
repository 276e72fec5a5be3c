using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class PrecisionDowngradeValidatorTests
{
    private readonly PrecisionDowngradeValidator _validator = new();

    [Test]
    public void Validate_HalfCastOnFp32Problem_Flags()
    {
        var candidate = Candidates.WithForward("        return ext.scale_shift(x.half()).float()");

        var finding = _validator.Validate(candidate).Single();

        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Flag));
        Assert.That(finding.Message, Does.StartWith("line 21:").And.Contain(".half()"));
    }

    [Test]
    public void Validate_HalfTypeInCudaSource_Flags()
    {
        var candidate = Candidates.WithForward("        return ext.scale_shift(x)",
            cppExtra: "#include <cuda_fp16.h>\n__global__ void k(const __half* a, __half* b) { b[0] = a[0]; }");

        Assert.That(_validator.Validate(candidate).Single().Message, Does.Contain("__half"));
    }

    [Test]
    public void Validate_HalfOnFp16Problem_Passes()
    {
        var fp16Problem = Candidates.Problem() with
        {
            Source = Candidates.Problem().Source.Replace("torch.rand(batch_size, dim)", "torch.rand(batch_size, dim).half()"),
        };
        var candidate = Candidates.Of(Candidates.WithForward("        return ext.scale_shift(x.half())").Source, fp16Problem);

        Assert.That(_validator.Validate(candidate), Is.Empty);
    }

    [Test]
    public void Validate_CleanSampleCandidate_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean()), Is.Empty);
}
