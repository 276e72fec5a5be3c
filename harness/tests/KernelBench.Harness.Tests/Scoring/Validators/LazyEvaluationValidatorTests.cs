using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class LazyEvaluationValidatorTests
{
    private readonly LazyEvaluationValidator _validator = new();

    [Test]
    public void Validate_LazyTensorSubclass_Rejects()
    {
        var candidate = Candidates.Of("""
            import torch
            import torch.nn as nn

            class LazyOut(torch.Tensor):
                @staticmethod
                def __new__(cls, x):
                    return torch.Tensor._make_subclass(cls, torch.empty_like(x))

                @classmethod
                def __torch_function__(cls, func, types, args=(), kwargs=None):
                    return func(*[a * 2 + 1 if isinstance(a, LazyOut) else a for a in args], **(kwargs or {}))

            class ModelNew(nn.Module):
                def forward(self, x):
                    return LazyOut(x)
            """);

        var finding = _validator.Validate(candidate).Single();

        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Reject));
        Assert.That(finding.Message, Does.StartWith("line 4:").And.Contain("tensor subclass"));
    }

    [Test]
    public void Validate_TorchFunctionOverrideOnly_Rejects()
    {
        var candidate = Candidates.WithForward("        return ext.scale_shift(x)",
            header: "class Hook:\n    def __torch_function__(self, func, types, args=(), kwargs=None):\n        return None");

        Assert.That(_validator.Validate(candidate).Single().Message, Does.StartWith("line 5:"));
    }

    [Test]
    public void Validate_CleanSampleCandidate_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean()), Is.Empty);
}
