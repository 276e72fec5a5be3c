using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class ThreadInjectionValidatorTests
{
    private readonly ThreadInjectionValidator _validator = new();

    [Test]
    public void Validate_ForwardInBackgroundThread_Rejects()
    {
        var candidate = Candidates.WithForward("""
                    out = torch.empty_like(x)
                    threading.Thread(target=lambda: out.copy_(ext.scale_shift(x))).start()
                    return out
            """, header: "import threading");

        var finding = _validator.Validate(candidate).Single();

        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Reject));
        Assert.That(finding.Message, Does.StartWith("line 4:").And.Contain("threads"));
    }

    [Test]
    public void Validate_StdThreadInCppSource_Rejects()
    {
        var candidate = Candidates.WithForward("        return ext.scale_shift(x)",
            cppExtra: "#include <thread>\nstatic void spawn() { std::thread t([]{}); t.detach(); }");

        Assert.That(_validator.Validate(candidate).Single().Message, Does.Contain("C++/CUDA source"));
    }

    [Test]
    public void Validate_ThreadingInDocstring_Passes()
    {
        var candidate = Candidates.WithForward("""
                    '''Unlike a threading.Thread or ThreadPoolExecutor design, this runs inline.'''
                    return ext.scale_shift(x)
            """);

        Assert.That(_validator.Validate(candidate), Is.Empty);
    }

    [Test]
    public void Validate_CleanSampleCandidate_Passes() =>
        Assert.That(_validator.Validate(Candidates.Clean()), Is.Empty);
}
