using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Tests.Store;

public sealed class SandboxSummaryTests
{
    private static Verdict With(params (string Key, string Value)[] sandbox) =>
        new() { Status = VerdictStatus.Correct, Sandbox = sandbox.ToDictionary(p => p.Key, p => p.Value) };

    private static readonly (string, string)[] Whole =
        [("namespaces", "true"), ("network", "true"), ("filesystem", "true"), ("seccomp", "true"), ("limits", "true"), ("memory_cap", "cgroup v1, 18.0 GiB")];

    [Test]
    public void Of_OneCandidateWithoutSeccomp_TheRunSaysSeccompFalseWithItsReason()
    {
        var partial = Whole.Select(p => p.Item1 == "seccomp" ? ("seccomp", "false") : p).Append(("missing.seccomp", "prctl: EINVAL")).ToArray();

        var summary = SandboxSummary.Of([With(Whole), With(partial), null, new Verdict { Status = VerdictStatus.CompileError }]);

        Assert.That(summary["candidates"], Is.EqualTo("2"), "only verdicts whose candidate process ran count");
        Assert.That(summary["seccomp"], Is.EqualTo("false"));
        Assert.That(summary["namespaces"], Is.EqualTo("true"));
        Assert.That(summary["missing.seccomp"], Is.EqualTo("prctl: EINVAL"));
        Assert.That(summary["memory_cap"], Is.EqualTo("cgroup v1, 18.0 GiB"));
    }

    [Test]
    public void Of_NoCandidateRan_OnlyTheCount()
    {
        Assert.That(SandboxSummary.Of([]), Is.EqualTo(new Dictionary<string, string> { ["candidates"] = "0" }));
    }
}
