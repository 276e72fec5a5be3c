using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Tests.Support;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>The verifier end to end through one real, shared Python worker on the CPU.</summary>
[Category("Slow")]
[NonParallelizable]
public class CandidateEngineTests
{
    private const string SecretName = "KBH_TEST_SECRET_API_KEY";
    private const string SecretValue = "sk-kbh-test-9f3c1e";
    private string _cache = "";
    private CandidateEngine _engine = null!;

    [OneTimeSetUp]
    public void StartEngine()
    {
        Environment.SetEnvironmentVariable(SecretName, SecretValue); // before the worker starts: it must not inherit it
        _cache = TempFolder();
        _engine = new CandidateEngine(Options(_cache, TimeSpan.FromSeconds(60)), []);
    }

    [OneTimeTearDown]
    public void StopEngine()
    {
        _engine.Dispose();
        Environment.SetEnvironmentVariable(SecretName, null);
        Directory.Delete(_cache, recursive: true);
    }

    private Task<Verdict> Judge(string source, int level = 1, int id = 1) => _engine.VerifyAsync(Sample(level, id), source, CancellationToken.None);

    [Test]
    public async Task Verify_CorrectPytorchCandidate_IsCorrectWithTimingsAndFlag()
    {
        var v = await Judge(SampleCandidate("correct", 1, 2), 1, 2);
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        Assert.That(v.Runtime!.Trials, Is.EqualTo(5));
        Assert.That(v.RefRuntime!.MeanMs, Is.GreaterThan(0));
        Assert.That(v.Speedup, Is.EqualTo(v.RefRuntime.MeanMs / v.Runtime.MeanMs).Within(1e-9));
        Assert.That(v.Flags, Does.Contain("pytorch_only"));
        Assert.That(v.MaxAbsDiff, Is.LessThan(1e-4));
        Assert.That(v.Environment!.TorchVersion, Is.Not.Empty);
        Assert.That(v.ProblemSha256, Is.EqualTo(Sample(1, 2).Sha256));
        // Where the time went: the reference was measured for this verdict, then the check's phases.
        // (load_job only when no build record of an earlier test covers this source: see Verify_SameSourceAgain_….)
        Assert.That(v.PhaseSeconds.Keys, Is.SupersetOf(new[] { "check_job", "check.model.init", "check.model.to_device", "check.inputs", "check.correctness", "check.timing" }));
        if (v.PhaseSeconds.ContainsKey("reference_job")) // measured for this verdict, not loaded by an earlier test's
            Assert.That(v.PhaseSeconds.Keys, Is.SupersetOf(new[] { "reference.inputs", "reference.outputs" })); // timing: unless cached
        var inside = v.PhaseSeconds.Where(p => p.Key.StartsWith("check.", StringComparison.Ordinal)).Sum(p => p.Value);
        Assert.That(inside, Is.GreaterThan(0).And.LessThanOrEqualTo(v.PhaseSeconds["check_job"]));
    }

    [Test]
    public async Task Verify_SameSourceAgain_ImportsItOnlyInTheCheck()
    {
        // A source no other test judges (its comment), so the first verdict has no build record to lean on.
        var source = SampleCandidate("correct", 1, 2) + "\n# " + Guid.NewGuid().ToString("N") + "\n";
        var first = await Judge(source, 1, 2);
        var again = await Judge(source, 1, 2);
        Assert.That((first.Status, again.Status), Is.EqualTo((VerdictStatus.Correct, VerdictStatus.Correct)), first.Reason + again.Reason);
        Assert.That(first.PhaseSeconds.ContainsKey("load_job"), Is.True, "the first time a process of its own imports it");
        Assert.That(again.PhaseSeconds.ContainsKey("load_job"), Is.False, "its build record holds: only the check imports it");
        Assert.That(again.Flags, Does.Contain("pytorch_only"), "the check's own import reports what it built");
    }

    /// <summary>The same candidate judged by two engines, one after the other, on one cache.</summary>
    private async Task<(Verdict First, Verdict Again)> JudgeTwiceOnOneCache(string timingOrder)
    {
        var options = Options(_cache, TimeSpan.FromSeconds(60));
        options = options with { Settings = options.Settings with { TimingOrder = timingOrder } };
        var verdicts = new List<Verdict>();
        for (var i = 0; i < 2; i++)
        {
            using var engine = new CandidateEngine(options, []);
            verdicts.Add(await engine.VerifyAsync(Sample(1, 2), SampleCandidate("correct", 1, 2), CancellationToken.None));
        }
        Assert.That(verdicts.Select(v => v.Status), Is.All.EqualTo(VerdictStatus.Correct));
        return (verdicts[0], verdicts[1]);
    }

    [Test]
    public async Task Verify_SeparateTiming_SecondEngineOnSameCache_ReusesReferenceTimings()
    {
        var (first, again) = await JudgeTwiceOnOneCache(TimingOrders.Separate);
        Assert.That(again.RefRuntime, Is.EqualTo(first.RefRuntime), "the reference is timed once per problem, device and versions");
        Assert.That(again.Runtime, Is.Not.EqualTo(first.Runtime), "the candidate is timed every time");
    }

    [Test]
    public async Task Verify_InterleavedByDefault_TimesTheReferenceAgainBesideEachCandidate()
    {
        Assert.That(new EvalSettings().TimingOrder, Is.EqualTo(TimingOrders.Interleaved));
        var (first, again) = await JudgeTwiceOnOneCache(new EvalSettings().TimingOrder);
        Assert.That(again.RefRuntime, Is.Not.EqualTo(first.RefRuntime), "no cached reference timing: each check times it");
        Assert.That(again.RefRuntime!.Trials, Is.EqualTo(again.Runtime!.Trials));
        Assert.That(again.PhaseSeconds.Keys, Has.None.EqualTo("reference.timing"));
    }

    [Test]
    public async Task Verify_WrongCandidate_IsIncorrectWithDiffAndFirstTrial()
    {
        var v = await Judge(SampleCandidate("wrong", 1, 1));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Incorrect));
        Assert.That(v.FailedTrial, Is.EqualTo(0));
        Assert.That(v.MaxAbsDiff, Is.EqualTo(0.5).Within(1e-6));
        Assert.That(v.Reason, Does.Contain("trial 0"));
    }

    [TestCase("wrong_shape.py", "shape mismatch")]
    [TestCase("nan_output.py", "NaN or Inf")]
    public async Task Verify_MismatchedOutput_IsIncorrectWithCause(string fixture, string cause)
    {
        var v = await Judge(Fixture(fixture));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Incorrect));
        Assert.That(v.Reason, Does.Contain(cause));
    }

    [Test]
    public async Task Verify_SyntaxError_IsCompileErrorNamingTheLine()
    {
        var v = await Judge(Fixture("syntax_error.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.CompileError));
        Assert.That(v.Reason, Does.Contain("SyntaxError").And.Contain("line 5"));
    }

    [Test]
    public async Task Verify_NoModelNew_IsCompileErrorSayingSo()
    {
        var v = await Judge("import torch\nclass Model2(torch.nn.Module):\n    pass\n");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.CompileError));
        Assert.That(v.Reason, Does.Contain("ModelNew"));
    }

    [Test]
    public async Task Verify_ModelNewOnlyInAComment_IsCompileErrorFromTheWorker()
    {
        var v = await Judge("import torch\nDOC = \"\"\"\nclass ModelNew(torch.nn.Module): ...\n\"\"\"\nModelNew = 3\n");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.CompileError));
        Assert.That(v.Reason, Is.EqualTo("the candidate defines no class ModelNew"));
    }

    [Test]
    public async Task Verify_ForwardRaises_IsRuntimeError()
    {
        var v = await Judge(Fixture("runtime_name_error.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.RuntimeError));
        Assert.That(v.Reason, Does.Contain("undefined_helper"));
    }

    [Test]
    public async Task Verify_SecretInHarnessEnvironment_IsInvisibleToCandidate()
    {
        Assert.That(Environment.GetEnvironmentVariable(SecretName), Is.EqualTo(SecretValue));
        var v = await Judge(Fixture("reads_secret.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason + v.CandidateOutput);
        Assert.That(v.CandidateOutput, Does.Contain("visible: [] None"));
        Assert.That(v.CandidateOutput, Does.Not.Contain(SecretValue));
    }

    [Test]
    public async Task Verify_CandidatePrintsFakeAnswers_TheyLandInItsOutputNotTheVerdict()
    {
        var v = await Judge(Fixture("prints_protocol.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Incorrect));
        Assert.That(v.CandidateOutput, Does.Contain("\"status\": \"correct\""));
    }

    [TestCase("input_mutation.py", "input_mutation")]
    [TestCase("output_alias.py", "output_aliases_input")]
    [TestCase("subclass_output.py", "lazy_output")]
    public async Task Verify_RuntimeHack_IsRejectedByItsRule(string fixture, string rule)
    {
        var v = await Judge(Fixture(fixture));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected), v.Reason);
        Assert.That(v.Flags, Does.Contain(rule));
    }

    /// <summary>A hack whose answers are also wrong: the judge's own comparison decides (incorrect); what the candidate's
    /// process reported about itself is still a flag. (memoised.py returns its first answer again: the judge's
    /// stale_output rejects it, see PolicyTests.)</summary>
    [TestCase("patched_timer.py", "monkey_patch")]
    public async Task Verify_RuntimeHackWithWrongValues_IsIncorrectAndFlagged(string fixture, string rule)
    {
        var v = await Judge(Fixture(fixture));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Incorrect), v.Reason);
        Assert.That(v.Flags, Does.Contain(rule));
    }

    [Test]
    public async Task Verify_AfterPatchedTimerCandidate_NextCandidateStillTimedAndCompared()
    {
        await Judge(Fixture("patched_timer.py"));
        var wrong = await Judge(SampleCandidate("wrong", 1, 1));
        var right = await Judge(SampleCandidate("correct", 1, 2), 1, 2);
        Assert.That(wrong.Status, Is.EqualTo(VerdictStatus.Incorrect));
        Assert.That(right.Status, Is.EqualTo(VerdictStatus.Correct));
        Assert.That(right.Runtime!.MeanMs, Is.GreaterThan(0));
    }

    [Test]
    public async Task Verify_ThreadLeftRunning_IsFlaggedNotRejected()
    {
        var v = await Judge(Fixture("thread_left_running.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        Assert.That(v.Flags, Does.Contain("thread_injection"));
    }

    [Test]
    public async Task Verify_UninitialisedOutput_IsNotCorrect()
    {
        var v = await Judge(Fixture("uninitialised_output.py"));
        Assert.That(v.Status, Is.Not.EqualTo(VerdictStatus.Correct));
    }

    [Test]
    public async Task Verify_CppLoadInlineCandidate_IsCorrectAndBuilt()
    {
        var v = await Judge(SampleCandidate("correct", 1, 1));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason + v.CandidateOutput);
        Assert.That(v.Backend, Is.EqualTo("cpp"));
        Assert.That(v.BuildSeconds, Is.GreaterThan(0));
        // Built here (the launcher's plain compile: no precompiled header on a CPU run), or loaded whole from the cache.
        Assert.That(v.BuildModes, Has.Count.EqualTo(1));
        Assert.That(v.BuildModes[0], Does.Match(@"^kbh_sample_scale_shift(/main\.cpp: plain|: library-cache)$"));
        Assert.That(v.Flags, Does.Not.Contain("pytorch_only"));
    }

    [Test]
    public async Task BuildAsync_SyntaxErrorAndGoodCandidate_ReportsOnlyTheFailure()
    {
        var (failed, _, _) = await _engine.BuildStageAsync(Sample(1, 1), Fixture("syntax_error.py"), CancellationToken.None);
        var (built, _, _) = await _engine.BuildStageAsync(Sample(1, 2), SampleCandidate("correct", 1, 2), CancellationToken.None);
        Assert.That(failed!.Status, Is.EqualTo(VerdictStatus.CompileError));
        Assert.That(built, Is.Null);
    }

    [Test]
    [Category("KernelBench")]
    public async Task Verify_KernelBenchLeNet5ReferenceAsCandidate_IsCorrect()
    {
        var set = KernelBench.Harness.Problems.ProblemLoader.Load(Paths.KernelBench);
        var lenet = set.Find(3, 4)!;
        Assert.That(lenet.Name, Is.EqualTo("LeNet5"));
        var v = await _engine.VerifyAsync(lenet, ReferenceCandidate.From(lenet.Source), CancellationToken.None);
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        Assert.That(v.MaxAbsDiff, Is.EqualTo(0));
        Assert.That(v.Speedup, Is.GreaterThan(0.2).And.LessThan(5)); // same code both sides; wide because CI machines are shared
    }
}
