using System.Diagnostics;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Tests.Support;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// The hostile gallery (docs/threat-model.md): candidates that attack the judge from their own process, each with the
/// verdict it must get, then an honest correct and an honest wrong candidate judged by the same engine to show that
/// nothing the attack did reached the judge or the next candidate. Real worker, real candidate processes.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class HostileCandidateTests
{
    private string _cache = "";
    private CandidateEngine _engine = null!;

    [OneTimeSetUp]
    public void StartEngine()
    {
        _cache = TempFolder();
        _engine = new CandidateEngine(Options(_cache, TimeSpan.FromSeconds(60)), []);
    }

    [OneTimeTearDown]
    public void StopEngine()
    {
        _engine.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    private static string Hostile(string name) => Fixture(Path.Combine("hostile", name));

    private Task<Verdict> Judge(string source, int level = 1, int id = 1) => _engine.VerifyAsync(Sample(level, id), source, CancellationToken.None);

    /// <summary>The judge is intact: an honest correct candidate is correct and an honest wrong one incorrect, on the
    /// same problem, by the same worker.</summary>
    private async Task<Verdict> AssertHonestStillJudgedRight(int level = 1, int id = 1)
    {
        var correct = await Judge(SampleCandidate("correct", level, id), level, id);
        Assert.That(correct.Status, Is.EqualTo(VerdictStatus.Correct), correct.Reason);
        var wrong = await Judge(SampleCandidate("wrong", level, id), level, id);
        Assert.That(wrong.Status, Is.EqualTo(VerdictStatus.Incorrect), wrong.Reason);
        return correct;
    }

    [TestCase("tensor_method_alias.py", 1, 1)]
    [TestCase("reach_the_judge.py", 1, 1)]
    [TestCase("patch_reference_relu.py", 2, 1)]
    public async Task WrongAnswer_WithPatchesInItsOwnProcess_IsIncorrectAndTheNextAreJudgedRight(string fixture, int level, int id)
    {
        var workers = _engine.WorkersStarted;
        var v = await Judge(Hostile(fixture), level, id);
        // Incorrect by the judge's comparison; a candidate that wrote into the read-only pages of its inputs crashed
        // its own process first (runtime error): either way its verdict is its own.
        Assert.That(v.Status, Is.AnyOf(VerdictStatus.Incorrect, VerdictStatus.RuntimeError), v.Reason);
        var honest = await AssertHonestStillJudgedRight(level, id);
        Assert.That(honest.RefRuntime!.MeanMs, Is.LessThan(40), "the reference was not slowed by the candidate");
        Assert.That(_engine.WorkersStarted, Is.EqualTo(Math.Max(workers, 1)), "the judge itself was never replaced");
    }

    [Test]
    public async Task ForgedAnswers_OnEveryChannelItHolds_AreNeverACorrectVerdict()
    {
        var v = await Judge(Hostile("forge_channel.py"));
        Assert.That(v.Status, Is.Not.EqualTo(VerdictStatus.Correct), v.Reason);
        Assert.That(v.CandidateOutput, Does.Contain("\"status\": \"correct\""), "what it printed is its output, not an answer");
        await AssertHonestStillJudgedRight();
    }

    [Test]
    public async Task FloodedChannelAndOutput_CostOnlyItsOwnVerdict()
    {
        var v = await Judge(Hostile("flood_channel.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.RuntimeError), v.Reason);
        Assert.That(v.Reason, Does.Contain("flooded"));
        Assert.That(v.CandidateOutput.Length, Is.LessThanOrEqualTo(8000), "only the tail of 64 MB of output is kept");
        await AssertHonestStillJudgedRight();
    }

    /// <summary>Requests answered by the judge within a call (builds, in any call since CUDA-L1's kernels build in
    /// forward() and __init__) are capped: thousands of them, never read, cannot stall the judge on a full socket.</summary>
    [Test]
    public async Task RequestFlood_InForward_CostsOnlyItsOwnVerdict()
    {
        var v = await Judge(Hostile("request_flood.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.RuntimeError), v.Reason);
        Assert.That(v.Reason, Does.Contain("more than 64 requests"));
        await AssertHonestStillJudgedRight();
    }

    [TestCase("timer_dodge.py", 1, 1, "timed_output_differs")]
    [TestCase("patched_event.py", 1, 3, "timer_mismatch")]
    public async Task TimerCheat_IsRejectedOnTheJudgesOwnEvidence(string fixture, int level, int id, string rule)
    {
        var v = await Judge(Hostile(fixture), level, id);
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected), v.Reason);
        Assert.That(v.Reason, Does.StartWith(rule));
        await AssertHonestStillJudgedRight(level, id);
    }

    [Test]
    public async Task WorkOnRawThreadsAfterReturn_IsRejected()
    {
        var v = await Judge(Hostile("threads_after_return.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected), v.Reason);
        // Whichever of the judge's own findings fired first: the CPU time after return, the spot-checked output, or
        // the judge's clock (on a loaded 2-core machine the threads' work also delays the round trips it measures).
        Assert.That(v.Reason, Does.StartWith("work_outside_timer").Or.StartWith("timed_output_differs").Or.StartWith("timer_mismatch"));
        await AssertHonestStillJudgedRight();
    }

    /// <summary>Found by a red-team review: outputs in unsealed memfds shrunk while the judge read them (the judge died
    /// of SIGBUS), and descriptors attached to every answer (the judge ran out of them). Judged three times in a row,
    /// then the honest pair.</summary>
    [TestCase("unsealed_output.py", VerdictStatus.Incorrect)]
    [TestCase("fd_flood.py", VerdictStatus.Correct)]
    public async Task ChannelAbuse_CostsOnlyItsOwnVerdict(string fixture, VerdictStatus expected)
    {
        var workers = _engine.WorkersStarted;
        for (var i = 0; i < 3; i++)
        {
            var v = await Judge(Hostile(fixture));
            Assert.That(v.Status, Is.EqualTo(expected), v.Reason);
        }
        await AssertHonestStillJudgedRight();
        Assert.That(_engine.WorkersStarted, Is.EqualTo(Math.Max(workers, 1)), "the judge itself was never replaced");
    }

    /// <summary>Found by a red-team review (session 16): text that is not valid Unicode in what a candidate says.</summary>
    [Test]
    public async Task LoneSurrogateInItsError_CostsOnlyItsOwnVerdict()
    {
        var v = await Judge(Hostile("lone_surrogate_text.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.RuntimeError), v.Reason);
        Assert.That(v.Reason, Does.Contain("broken ? text"));
        await AssertHonestStillJudgedRight();
    }

    [Test]
    public async Task DelayedKillOfItselfAndItsParent_CostsOnlyItsOwnVerdict()
    {
        await Judge(Hostile("delayed_self_kill.py"));
        await Task.Delay(500); // the kill lands after its verdict
        await AssertHonestStillJudgedRight();
    }

    /// <summary>The judge starts the next candidate's process while this one is judged (kbh_spare): a candidate that
    /// goes for every process it can see (signals, ptrace, /proc/pid/mem, files left in /tmp) never reaches it. Where the
    /// sandbox is incomplete no process is started ahead, and this test says so.</summary>
    [Test]
    public async Task ReachesForTheNextCandidatesProcess_WhichItNeverSees()
    {
        var v = await Judge(Hostile("reach_the_next_process.py"));
        if (v.Sandbox.GetValueOrDefault("namespaces") != "true" || v.Sandbox.GetValueOrDefault("seccomp") != "true")
            Assert.Ignore("no process is started ahead without the whole sandbox (namespaces, seccomp) on this machine");
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        var honest = await AssertHonestStillJudgedRight();
        Assert.That(honest.PhaseSeconds.Keys, Does.Contain("ahead.candidate_process"),
            "the honest candidate ran in the process started for it while the hostile one was judged");
    }

    [Test]
    public async Task WritesIntoEveryTensorItCanFind_TheJudgesInputsAndReferenceAreUntouched()
    {
        var v = await Judge(Hostile("zero_everything.py"));
        Assert.That(v.Status, Is.AnyOf(VerdictStatus.Incorrect, VerdictStatus.RuntimeError), v.Reason);
        await AssertHonestStillJudgedRight();
    }

    [Test]
    public async Task ProcessesLeftBehind_NoneOutlivesTheCandidate()
    {
        var v = await Judge(Hostile("leftovers.py"));
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        // Its process ends in the background after its verdict (kbh_spawn.ForkServer.end_later); the judge's next GPU
        // turn waits for that end, so by the next candidate's verdict nothing of it is left.
        await AssertHonestStillJudgedRight();
        Assert.That(Leftovers(), Is.Empty, "the child, the daemon and the sleepers all end with the candidate");
    }

    /// <summary>Successive attempts at one problem, as a closed loop makes them, that keep one extension name and change
    /// its code: each is judged with its own.</summary>
    [Test]
    public async Task SuccessiveAttemptsSharingAnExtensionName_EachJudgedWithItsOwnCode()
    {
        string SameName(string file) => Fixture(Path.Combine("same_name", file));
        var first = await Judge(SameName("scale_shift.py"));
        var second = await Judge(SameName("scale_only.py"));
        var third = await Judge(SameName("scale_shift.py").Replace("# Sample L1/1", "# Attempt 3, sample L1/1"));
        Assert.That(new[] { first.Status, second.Status, third.Status },
            Is.EqualTo(new[] { VerdictStatus.Correct, VerdictStatus.Incorrect, VerdictStatus.Correct }), second.Reason + third.Reason);
    }

    /// <summary>A problem file changed on disk after the run loaded it (by anyone): the verdict never pairs the recorded
    /// problem SHA-256 with a reference run from other bytes.</summary>
    [Test]
    public async Task ProblemFileChangedAfterLoading_IsNotJudgedUnderTheRecordedHash()
    {
        using var dir = new TempDir();
        var level = Directory.CreateDirectory(Path.Combine(dir.Path, "level1")).FullName;
        var source = Path.Combine(Paths.SampleProblems, "level1", "2_Row_softmax.py");
        var copy = Path.Combine(level, "2_Row_softmax.py");
        File.Copy(source, copy);
        var problem = KernelBench.Harness.Problems.ProblemLoader.Load(dir.Path).Find(1, 2)!;
        File.AppendAllText(copy, "\n# changed after loading\n");

        var v = await _engine.VerifyAsync(problem, SampleCandidate("correct", 1, 2), CancellationToken.None);

        Assert.That(v.Status, Is.EqualTo(VerdictStatus.RuntimeError), v.Reason);
        Assert.That(v.Reason, Does.Contain("the problem file changed after it was loaded"));
    }

    private static List<int> Leftovers()
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (cmd.Contains("7731") && !stat.Contains(") Z "))
                    found.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
