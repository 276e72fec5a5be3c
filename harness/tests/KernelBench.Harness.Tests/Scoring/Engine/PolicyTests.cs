using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Scoring.Verdicts;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// Policies end to end through a real worker on the CPU, with the default static rules: runtime evidence rejects
/// under `evidence`, the shape of the code only flags; `kernelbench` flags everything; `kernelbench-static` adds
/// KernelBench's checker; `strict` keeps every rule's own level. One engine (one worker) per policy.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class PolicyTests
{
    private string _cache = "";
    private readonly Dictionary<string, CandidateEngine> _engines = [];

    [OneTimeSetUp]
    public void MakeCache() => _cache = TempFolder();

    [OneTimeTearDown]
    public void Stop()
    {
        foreach (var engine in _engines.Values)
            engine.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    private Task<Verdict> Judge(string policy, string fixture, string backend = "cpp")
    {
        if (!_engines.TryGetValue(policy + "/" + backend, out var engine))
        {
            var options = Options(_cache, TimeSpan.FromSeconds(60));
            // Five correctness trials: the fallback fixture fails on its fourth call.
            options = options with { Settings = options.Settings with { Policy = policy, CorrectnessTrials = 5, Backend = backend } };
            _engines[policy + "/" + backend] = engine = new CandidateEngine(options, [ValidatorSet.Default]);
        }
        return engine.VerifyAsync(Sample(1, 1), Fixture(fixture), CancellationToken.None);
    }

    [Test]
    public async Task TryThatNeverFires_IsCorrectUnderEvidence_WithTheStaticFindingAsAFlagOnItsLine()
    {
        var v = await Judge(Policies.Evidence, "policy/try_never_fires.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        Assert.That(v.Policy, Is.EqualTo(Policies.Evidence));
        Assert.That(v.Settings!.Policy, Is.EqualTo(Policies.Evidence));
        var bypass = v.Findings.Single(f => f.Rule == "code_bypass");
        Assert.That((bypass.Action, bypass.Source, bypass.Line), Is.EqualTo(("flag", "static", (int?)7)));
        Assert.That(v.Flags, Does.Contain("code_bypass"));
        Assert.That(v.Findings.Any(f => f.Rule == "fallback_taken"), Is.False);
        Assert.That(v.Evidence["fallback_taken"], Does.StartWith("self-reported: watched by"));
        Assert.That(v.Evidence["stale_output"], Does.StartWith("judge:"));
    }

    [Test]
    public async Task TryThatNeverFires_IsRejectedUnderStrict()
    {
        var v = await Judge(Policies.Strict, "policy/try_never_fires.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected));
        Assert.That(v.Reason, Does.StartWith("code_bypass: line 7:"));
        Assert.That(v.Policy, Is.EqualTo(Policies.Strict));
    }

    [Test]
    public async Task TryThatNeverFires_IsRejectedUnderKernelBenchStatic_ByKernelBenchsOwnRule()
    {
        var v = await Judge(Policies.KernelBenchStatic, "policy/try_never_fires.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected));
        Assert.That(v.Reason, Does.StartWith("kernelbench.code_bypass: line 7: KernelBench's static checker: Contains try-except block"));
        // cuda_impl is one of its errors too for backend cuda; this run's backend is cpp, which it has no check for.
        Assert.That(v.Findings.Where(f => f.Action == "reject").Select(f => f.Rule), Is.EquivalentTo(new[] { "kernelbench.code_bypass" }));
    }

    [Test]
    public async Task FallbackThatFiresInTrial3_IsRejectedUnderEvidence_WithTheTrialAndTheException()
    {
        var v = await Judge(Policies.Evidence, "policy/fallback_in_trial_3.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected), v.Reason);
        Assert.That(v.Reason, Does.StartWith("fallback_taken: correctness trial 3: RuntimeError: kernel launch failed"));
        var found = v.Findings.Single(f => f.Rule == "fallback_taken");
        Assert.That((found.Action, found.Source, found.Trial, found.Line), Is.EqualTo(("reject", "self_reported", "correctness trial 3", (int?)20)));
    }

    [Test]
    public async Task FallbackThatFiresInTrial3_IsCorrectWithAFlagUnderKernelBench()
    {
        var v = await Judge(Policies.KernelBench, "policy/fallback_in_trial_3.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        Assert.That(v.Flags, Does.Contain("fallback_taken").And.Contain("code_bypass"));
        Assert.That(v.Findings.Where(f => f.Action == "reject"), Is.Empty);
        Assert.That(v.Policy, Is.EqualTo(Policies.KernelBench));
    }

    /// <summary>A tensor subclass for an output can do its work when the values are read, after the timed interval
    /// (CUDA-L1's L1/9: 341x in KernelBench's flow, its matmul never timed): no measurement under any policy.</summary>
    [Test]
    public async Task LazyOutput_IsRejectedUnderKernelBench_AsNoMeasurement()
    {
        var v = await Judge(Policies.KernelBench, "subclass_output.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected), v.Reason);
        Assert.That(v.Reason, Does.StartWith("lazy_output"));
        var lazy = v.Findings.Where(f => f.Rule == "lazy_output").ToList();
        Assert.That(lazy, Is.Not.Empty);
        Assert.That(lazy.Select(f => f.Action), Is.All.EqualTo("reject"));
    }

    /// <summary>A problem that asks for a CUDA kernel: whether one launched is asked after the timing (on a GPU, under
    /// the profiler, whose CUPTI would slow every launch timed after it); on a CPU the answer says why it was not measured.</summary>
    [Test]
    public async Task KernelEvidence_IsAskedAfterTheTiming_AndOnACpuSaysWhyNotMeasured()
    {
        var v = await Judge(Policies.KernelBench, "policy/try_never_fires.py", backend: "cuda");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        Assert.That(v.Speedup, Is.Not.Null);
        Assert.That(v.Evidence["no_custom_kernel"], Is.EqualTo("self-reported: not measured: no kernel records on a CPU (asked after the timing)"));
    }

    /// <summary>An in-place kernel, as CUDA-L1's L1/20 and L1/21: KernelBench judges it correct. Its inputs are put back
    /// before each timed call, so the spot check of a timed call compares like with like and finds it right.</summary>
    [Test]
    public async Task CandidateWritingItsInput_IsCorrectUnderKernelBench_WithItsTimedOutputChecked()
    {
        var v = await Judge(Policies.KernelBench, "policy/writes_its_input.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        Assert.That(v.Flags, Does.Contain("input_mutation"));
        Assert.That(v.Speedup, Is.Not.Null);
        Assert.That(v.Findings.Where(f => f.Rule == "timed_output_differs"), Is.Empty, "its timed calls saw the reference's inputs");
    }

    /// <summary>Writing its inputs buys a candidate no unchecked timed call under kernelbench: one that skips its work
    /// when timed is still caught by the judge's spot check.</summary>
    [Test]
    public async Task CandidateWritingItsInput_ThatSkipsItsWorkWhenTimed_IsRejectedUnderKernelBench()
    {
        var v = await Judge(Policies.KernelBench, "policy/dodge_after_writing_input.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected), v.Reason);
        Assert.That(v.Reason, Does.StartWith("timed_output_differs:"));
        Assert.That(v.Flags, Does.Contain("input_mutation"));
    }

    [Test]
    public async Task CandidateWritingItsInput_IsRejectedUnderEvidence()
    {
        var v = await Judge(Policies.Evidence, "policy/writes_its_input.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected));
        // It writes its input and returns it: both are runtime evidence under this policy.
        Assert.That(v.Reason, Does.StartWith("input_mutation:").Or.StartWith("output_aliases_input:"));
        Assert.That(v.Findings.Where(f => f.Rule is "input_mutation" or "output_aliases_input").Select(f => f.Action), Is.Not.Empty.And.All.EqualTo("reject"));
    }

    [Test]
    public async Task ReusedOutputBufferWithFreshValues_IsCorrect_StorageReuseOnlyFlagged()
    {
        var v = await Judge(Policies.Evidence, "policy/reused_buffer.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        var reuse = v.Findings.Where(f => f.Rule == "memoised_output").Select(f => f.Action).ToList();
        Assert.That(reuse, Is.Not.Empty.And.All.EqualTo("flag"));
    }

    [Test]
    public async Task ReusedOutputBufferWithFreshValues_IsRejectedUnderStrict()
    {
        var v = await Judge(Policies.Strict, "policy/reused_buffer.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected));
        Assert.That(v.Reason, Does.StartWith("memoised_output:"));
    }

    [Test]
    public async Task StaleOutput_IsRejectedOnTheJudgesOwnEvidence()
    {
        var v = await Judge(Policies.Evidence, "memoised.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected), v.Reason);
        Assert.That(v.Reason, Does.StartWith("stale_output: trial 1: the output is wrong for this trial's inputs and the same as the output of trial 0"));
        Assert.That(v.Findings.Single(f => f.Rule == "stale_output").Source, Is.EqualTo("judge"));
        Assert.That(v.FailedTrial, Is.EqualTo(1));
    }

    [Test]
    public async Task StaleOutput_IsIncorrectUnderKernelBench()
    {
        var v = await Judge(Policies.KernelBench, "memoised.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Incorrect), v.Reason);
        Assert.That(v.Flags, Does.Contain("stale_output"));
    }

    [Test]
    public async Task CandidateUsingNamesOnlyItsProblemFileDefines_IsCorrect()
    {
        var v = await Judge(Policies.Evidence, "policy/uses_reference_names.py");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason + v.CandidateOutput);
    }
}
