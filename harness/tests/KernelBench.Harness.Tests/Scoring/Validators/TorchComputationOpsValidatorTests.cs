using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class TorchComputationOpsValidatorTests
{
    private readonly TorchComputationOpsValidator _validator = new();

    [Test]
    public void Validate_BuildsKernelButComputesWithMatmul_Flags()
    {
        var candidate = Candidates.WithForward("        return torch.matmul(x, x.t())");

        var finding = _validator.Validate(candidate).Single();

        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Flag));
        Assert.That(finding.Message, Does.StartWith("line 21:").And.Contain("torch.matmul"));
    }

    [Test]
    public void Validate_FunctionalRelu_Flags()
    {
        var candidate = Candidates.WithForward("        return F.relu(ext.scale_shift(x))", header: "import torch.nn.functional as F");

        Assert.That(_validator.Validate(candidate).Single().Message, Does.Contain("torch.nn.functional").And.Contain("F.relu"));
    }

    [Test]
    public void Validate_OpsOnlyInCopiedReferenceAndDocstring_Passes()
    {
        var candidate = Candidates.Of("""
            import torch
            import torch.nn as nn

            class Model(nn.Module):
                def forward(self, a, b):
                    return torch.matmul(a, b)

            class ModelNew(nn.Module):
                def forward(self, a, b):
                    '''Replaces torch.matmul(a, b) with a tiled kernel.'''
                    return ext.tiled_matmul(a, b)
            """);

        Assert.That(_validator.Validate(candidate), Is.Empty);
    }

    [Test]
    public void Validate_CleanSampleCandidate_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean()), Is.Empty);
}
