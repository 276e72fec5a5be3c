using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class CodeBypassValidatorTests
{
    private readonly CodeBypassValidator _validator = new();

    [Test]
    public void Validate_TryExceptFallbackToTorch_RejectsWithLine()
    {
        var candidate = Candidates.WithForward("""
                    try:
                        return ext.scale_shift(x)
                    except Exception:
                        return x * 2.0 + 1.0
            """);

        var findings = _validator.Validate(candidate).ToList();

        Assert.That(findings, Has.Count.EqualTo(1));
        Assert.That(findings[0].Severity, Is.EqualTo(FindingSeverity.Reject));
        Assert.That(findings[0].Rule, Is.EqualTo("code_bypass"));
        Assert.That(findings[0].Message, Does.StartWith("line 21:").And.Contain("fallback"));
    }

    [Test]
    public void Validate_ForwardCallsSuperOfReference_Rejects()
    {
        var candidate = Candidates.Of("""
            import torch
            import torch.nn as nn

            class Model(nn.Module):
                def forward(self, x):
                    return x * 2.0 + 1.0

            class ModelNew(Model):
                def forward(self, x):
                    return super().forward(x)
            """);

        var findings = _validator.Validate(candidate).ToList();

        Assert.That(findings.Select(f => f.Message), Has.One.Contains("calls the reference"));
    }

    [Test]
    public void Validate_InheritsReferenceWithoutForward_Rejects()
    {
        var candidate = Candidates.Of("""
            import torch.nn as nn
            class Model(nn.Module):
                def forward(self, x):
                    return x * 2.0 + 1.0

            class ModelNew(Model):
                pass
            """);

        Assert.That(_validator.Validate(candidate).Single().Message, Does.Contain("does not define forward"));
    }

    [Test]
    public void Validate_TryInCommentAndDocstring_Passes()
    {
        var candidate = Candidates.WithForward("""
                    # try: a fallback would go here, except we don't
                    '''We try nothing; except for the kernel, no code runs.'''
                    return ext.scale_shift(x)
            """);

        Assert.That(_validator.Validate(candidate), Is.Empty);
    }

    [Test]
    public void Validate_CleanSampleCandidate_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean()), Is.Empty);
}
