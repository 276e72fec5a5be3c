using System.Text.Json;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

public class VerdictFactoryTests
{
    private static WorkerReply Reply(string json) => new(WorkerOutcome.Answered, JsonDocument.Parse(json).RootElement.Clone(), "", "");

    private static VerdictFactory Factory(string backend = "cuda") =>
        new(Sample(1, 1), "abc", new EvalSettings { Backend = backend }, new EnvironmentInfo { GpuName = "H100" });

    [Test]
    public void FromCheck_FastCorrectCudaCandidate_HasSpeedupAndExcessiveFlag()
    {
        var check = Reply("""{"status": "correct", "times_ms": [0.1, 0.1, 0.1], "max_abs_diff": 0.0, "findings": []}""");
        var build = Reply("""{"status": "built", "extensions_built": 1, "kinds": ["cuda"], "build_seconds": 61.5}""");
        var reference = TimingStatistics.Summarize([2.0, 2.0]);
        var v = Factory().FromCheck(CheckAnswer.From(check), BuildAnswer.From(build), reference, 10, []);
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct));
        Assert.That(v.Speedup, Is.EqualTo(20).Within(1e-9));
        Assert.That(v.Flags, Is.EquivalentTo(new[] { "excessive_speedup" }));
        Assert.That(v.Backend, Is.EqualTo("cuda"));
        Assert.That(v.BuildSeconds, Is.EqualTo(61.5));
        Assert.That(v.Environment!.GpuName, Is.EqualTo("H100"));
    }

    [Test]
    public void FromCheck_RejectedWithFindings_NamesEveryRuleAndHasNoTimes()
    {
        var check = Reply("""{"status": "rejected", "reason": "input_mutation: ...", "failed_trial": 0, "max_abs_diff": "Infinity", "findings": [{"rule": "input_mutation", "severity": "reject", "message": "m"}, {"rule": "thread_injection", "severity": "flag", "message": "t"}]}""");
        var v = Factory().FromCheck(CheckAnswer.From(check), BuildAnswer.From(Reply("""{"status": "built", "extensions_built": 0}""")), null, 10, ["static_rule"]);
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected));
        Assert.That(v.Flags, Is.EquivalentTo(new[] { "static_rule", "input_mutation", "thread_injection", "pytorch_only" }));
        Assert.That(v.MaxAbsDiff, Is.EqualTo(double.PositiveInfinity));
        Assert.That(v.FailedTrial, Is.Zero);
        Assert.That(v.Runtime, Is.Null);
    }

    [Test]
    public void FromCheck_TritonBackendWithoutExtension_IsNotPytorchOnly()
    {
        var check = Reply("""{"status": "correct", "times_ms": [1.0], "findings": []}""");
        var v = Factory("triton").FromCheck(CheckAnswer.From(check), BuildAnswer.From(Reply("""{"status": "built", "extensions_built": 0}""")), null, 10, []);
        Assert.That(v.Flags, Does.Not.Contain("pytorch_only"));
        Assert.That(v.Backend, Is.EqualTo("triton"));
    }

    [Test]
    public void FromFailure_TimeoutAndCrash_MapToTheirStatuses()
    {
        var timeout = Factory().FromFailure(new WorkerReply(WorkerOutcome.TimedOut, default, "no answer within 5 s", "out"), "check");
        var crash = Factory().FromFailure(new WorkerReply(WorkerOutcome.Crashed, default, ExitDescription.Describe(134), ""), "check");
        Assert.That(timeout.Status, Is.EqualTo(VerdictStatus.Timeout));
        Assert.That(timeout.CandidateOutput, Is.EqualTo("out"));
        Assert.That(crash.Status, Is.EqualTo(VerdictStatus.RuntimeError));
        Assert.That(crash.Reason, Does.Contain("SIGABRT"));
    }
}
