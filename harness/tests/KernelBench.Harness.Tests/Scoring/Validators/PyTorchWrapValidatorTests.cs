using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class PyTorchWrapValidatorTests
{
    private readonly PyTorchWrapValidator _validator = new();

    [Test]
    public void Validate_LinearLayerInModelNew_Flags()
    {
        var candidate = Candidates.Of("""
            import torch
            import torch.nn as nn

            class ModelNew(nn.Module):
                def __init__(self, in_features, out_features):
                    super().__init__()
                    self.weight = nn.Parameter(torch.randn(out_features, in_features))
                    self.linear = nn.Linear(in_features, out_features)

                def forward(self, x):
                    return self.linear(x)
            """);

        var finding = _validator.Validate(candidate).Single();

        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Flag));
        Assert.That(finding.Message, Does.StartWith("line 8:").And.Contain("nn.Linear"));
    }

    [Test]
    public void Validate_CopiedReferenceModelWithLayers_Passes()
    {
        var candidate = Candidates.Of("""
            import torch.nn as nn

            class Model(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(4, 4)

            class ModelNew(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.layers = nn.ModuleList()
                    self.w = nn.Parameter(nn.init.zeros_(torch.empty(4)))
            """);

        Assert.That(_validator.Validate(candidate), Is.Empty);
    }

    [Test]
    public void Validate_CleanSampleCandidate_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean()), Is.Empty);
}
