using KernelBench.Harness.Agent.Prompts;
using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Tests.Agent.Prompts;

public sealed class FeedbackBuilderTests
{
    private static AttemptRecord Attempt(Verdict? verdict, string status = "x", int index = 0) =>
        new() { ProblemKey = "L1/1", Status = verdict?.Status.ToString() ?? status, Verdict = verdict, Index = index };

    [Test]
    public void Build_CompileError_CarriesTheLogTail()
    {
        var log = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"line {i}")) + "\nerror: identifier \"blockIdx\" is undefined";
        var text = FeedbackBuilder.Build(Attempt(new Verdict { Status = VerdictStatus.CompileError, Reason = log }), null);
        Assert.That(text.Status, Is.EqualTo("compilation failed"));
        Assert.That(text.Details, Does.Contain("identifier \"blockIdx\" is undefined").And.Contain("lines omitted").And.Not.Contain("line 5\n"));
        Assert.That(text.BestSoFar, Is.EqualTo("No correct kernel yet."));
    }

    [Test]
    public void Build_Incorrect_CarriesFirstFailingTrialAndMaxDiff()
    {
        var v = new Verdict { Status = VerdictStatus.Incorrect, FailedTrial = 2, MaxAbsDiff = 0.5, MeanAbsDiff = 0.01, Settings = new EvalSettings { Atol = 1e-4, Rtol = 1e-4 } };
        var text = FeedbackBuilder.Build(Attempt(v), null);
        Assert.That(text.Details, Does.Contain("first failing trial: 2").And.Contain("Max absolute difference: 0.5").And.Contain("atol 0.0001"));
    }

    [Test]
    public void Build_RuntimeError_CarriesTheErrorAndWhatTheCandidatePrinted()
    {
        var v = new Verdict
        {
            Status = VerdictStatus.RuntimeError,
            Reason = "AcceleratorError: CUDA error: an illegal memory access was encountered",
            CandidateOutput = "launching relu_kernel with 65535 blocks",
        };
        var text = FeedbackBuilder.Build(Attempt(v), null);
        Assert.That(text.Status, Is.EqualTo("runtime error"));
        Assert.That(text.Details, Does.Contain("illegal memory access").And.Contain("launching relu_kernel with 65535 blocks"));
    }

    [Test]
    public void Build_Timeout_SaysItDidNotFinish()
    {
        var v = new Verdict { Status = VerdictStatus.Timeout, Reason = "no answer within 300 s; the worker and its children were killed" };
        var text = FeedbackBuilder.Build(Attempt(v), null);
        Assert.That(text.Status, Is.EqualTo("timed out"));
        Assert.That(text.Details, Does.Contain("did not finish within the time limit").And.Contain("no answer within 300 s"));
    }

    [Test]
    public void Build_Rejected_NamesTheValidator()
    {
        var v = new Verdict { Status = VerdictStatus.Rejected, Reason = "output_aliasing: the output shares storage with an input", Flags = ["output_aliasing"] };
        Assert.That(FeedbackBuilder.Build(Attempt(v), null).Details, Does.Contain("output_aliasing: the output shares storage"));
    }

    [Test]
    public void Build_CorrectWithBest_CarriesTimingAndBestSoFar()
    {
        var v = new Verdict { Status = VerdictStatus.Correct, Runtime = new TimingSummary { MeanMs = 2 }, RefRuntime = new TimingSummary { MeanMs = 3 }, Speedup = 1.5 };
        var best = Attempt(new Verdict { Status = VerdictStatus.Correct, Speedup = 1.8 }, index: 3);
        var text = FeedbackBuilder.Build(Attempt(v), best);
        Assert.That(text.Details, Does.Contain("Your kernel: 2 ms").And.Contain("reference: 3 ms").And.Contain("speedup 1.5x"));
        Assert.That(text.BestSoFar, Does.Contain("attempt 4").And.Contain("1.8x"));
    }

    [Test]
    public void Build_NoCode_SaysSo()
    {
        Assert.That(FeedbackBuilder.Build(Attempt(null, "no_code"), null).Details, Does.Contain("no fenced ```python block"));
    }

    [Test]
    public void Build_NoCodeCutAtTokenLimit_SaysWhy()
    {
        var cut = Attempt(null, "no_code") with { FinishReason = "length" };
        Assert.That(FeedbackBuilder.Build(cut, null).Details, Does.Contain("output-token limit"));
    }
}
