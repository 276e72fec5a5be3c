using System.Text.Json;
using KernelBench.Harness.Cli;
using KernelBench.Harness.Cli.Commands.Eval;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Cli.Eval;

/// <summary>`kbh eval` through the real CLI routing and a real worker.</summary>
[Category("Slow")]
[NonParallelizable]
public class EvalCommandTests
{
    private string _dir = "";
    private KbhEnvironment _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "kbh-eval-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        _environment = new KbhEnvironment(Path.Combine(_dir, "cache"));
    }

    [TearDown]
    public void TearDown()
    {
        _environment.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Candidate(string kind, int level, int id) => Path.Combine(Paths.SampleCandidates, kind, $"level{level}", $"{id}.py");

    [Test]
    public async Task Eval_OneCandidateAsJson_PrintsTheVerdictFields()
    {
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--level", "1", "--problem", "2",
            "--candidate", Candidate("correct", 1, 2), "--format", "json", "--perf-trials", "5", "--trials", "2"], console);
        Assert.That(code, Is.Zero, console.Output);
        using var doc = JsonDocument.Parse(console.Output.Trim());
        var root = doc.RootElement;
        Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("correct"));
        Assert.That(root.GetProperty("problem_name").GetString(), Is.EqualTo("Row_softmax"));
        foreach (var field in new[] { "level", "problem_id", "reason", "max_abs_diff", "runtime_ms", "ref_runtime_ms", "speedup", "flags" })
            Assert.That(root.TryGetProperty(field, out _), Is.True, field);
    }

    [Test]
    public async Task Eval_CompareBaseline_GivesASecondSpeedupNamedForTheFile_LiveSpeedupKept()
    {
        // A torch.compile baseline as `kbh baseline --compile` writes it; a problem it does not time gets no entry.
        var compiled = Path.Combine(_dir, "baseline_time_torch_compile_inductor_default.json");
        File.WriteAllText(compiled, """
            {"level1": {"2_Row_softmax.py": {"mean": 40.0, "std": 0.1, "min": 39.9, "max": 40.2, "num_trials": 100,
                                             "hardware": "NVIDIA H200", "device": "cuda:0"}}}
            """);
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--level", "1", "--problem", "2",
            "--candidate", Candidate("correct", 1, 2), "--format", "json", "--perf-trials", "5", "--trials", "2",
            "--compare-baseline", compiled], console);
        Assert.That(code, Is.Zero, console.Output);
        using var doc = JsonDocument.Parse(console.Output.Trim());
        var root = doc.RootElement;
        var runtime = root.GetProperty("runtime_ms").GetDouble();
        var second = root.GetProperty("baseline_speedups").GetProperty("baseline_time_torch_compile_inductor_default").GetDouble();
        Assert.That(second, Is.EqualTo(40.0 / runtime).Within(1e-9));
        // The speedup against the live reference is still the first one.
        Assert.That(root.GetProperty("speedup").GetDouble(), Is.EqualTo(root.GetProperty("ref_runtime_ms").GetDouble() / runtime).Within(1e-6));
    }

    [Test]
    public async Task Eval_InputsDeviceOnCpu_SameVerdictAndTheSettingRecorded()
    {
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--level", "1", "--problem", "2",
            "--candidate", Candidate("correct", 1, 2), "--format", "json", "--perf-trials", "3", "--trials", "2", "--inputs", "device"], console);
        Assert.That(code, Is.Zero, console.Output);
        using var doc = JsonDocument.Parse(console.Output.Trim());
        Assert.That(doc.RootElement.GetProperty("status").GetString(), Is.EqualTo("correct"));
        Assert.That(doc.RootElement.GetProperty("inputs").GetString(), Is.EqualTo("device"));
    }

    [Test]
    public async Task Eval_UnknownProblem_IsBadInput()
    {
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--level", "1", "--problem", "99",
            "--candidate", Candidate("correct", 1, 2)], new TestConsole());
        Assert.That(code, Is.EqualTo(2));
    }

    [Test]
    public async Task Eval_CudaDeviceOnCpuMachine_IsBadInput()
    {
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", Paths.SampleProblems, "--level", "1", "--problem", "2",
            "--candidate", Candidate("correct", 1, 2), "--device", "cuda:3"], new TestConsole());
        Assert.That(code, Is.EqualTo(2));
    }

    [Test]
    public async Task Eval_CandidatesFolder_WritesRunFolderAndRerunSkipsJudged()
    {
        var candidates = Path.Combine(_dir, "candidates");
        Directory.CreateDirectory(Path.Combine(candidates, "level1"));
        File.Copy(Candidate("correct", 1, 2), Path.Combine(candidates, "level1", "2.py"));
        File.Copy(Candidate("wrong", 1, 3), Path.Combine(candidates, "level_1_problem_3_sample_0_kernel.py"));
        File.WriteAllText(Path.Combine(candidates, "level1", "1.py"), "");                  // empty: bad input, others still judged
        File.Copy(Candidate("correct", 1, 2), Path.Combine(candidates, "level_1_problem_42_sample_0_kernel.py")); // no such problem
        var run = Path.Combine(_dir, "run");
        string[] args = ["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--candidates", candidates, "--out", run,
            "--format", "json", "--perf-trials", "3", "--trials", "2"];

        var first = new TestConsole();
        Assert.That(await KbhApp.RunAsync(args, first), Is.Zero, first.Output);
        var attempts = RunStore.Open(run).ReadAttempts().Attempts;
        Assert.That(attempts.Select(a => (a.ProblemKey, a.Status)), Is.EquivalentTo(new[]
        {
            ("L1/1", "bad_input"), ("L1/2", "correct"), ("L1/3", "incorrect"), ("L1/42", "bad_input"),
        }));
        Assert.That(attempts.Single(a => a.ProblemKey == "L1/2").Verdict!.Runtime, Is.Not.Null);
        Assert.That(attempts.Single(a => a.ProblemKey == "L1/1").Error, Does.Contain("empty"));
        Assert.That(first.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(4));
        // The worker was started while the problems loaded, not when the first candidate came.
        using (var timeline = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "timeline.json"))))
            Assert.That(timeline.RootElement.GetProperty("marks").EnumerateArray().Select(m => m.GetProperty("name").GetString()),
                Does.Contain("workers_ready").And.Contain("problems_loaded"));
        // What each judged problem took, for the next run's order (longest first).
        Assert.That(File.ReadAllText(Path.Combine(_dir, "cache", JudgingOrder.FileName)), Does.Contain("\"cpu|L1/2|").And.Contain("check_s"));

        var second = new TestConsole();
        Assert.That(await KbhApp.RunAsync(args, second), Is.Zero);
        Assert.That(RunStore.Open(run).ReadAttempts().Attempts, Has.Count.EqualTo(4), "a rerun judges nothing twice");
        Assert.That(second.Output.Trim(), Is.Empty);
    }

    [Test]
    public async Task Eval_TwoWorkers_JudgeProblemsSideBySideAndRecordEachCandidateOnce()
    {
        var candidates = Directory.CreateDirectory(Path.Combine(_dir, "candidates")).FullName;
        foreach (var (level, id) in new[] { (1, 2), (1, 3), (2, 1) })
        {
            File.Copy(Candidate("correct", level, id), Path.Combine(candidates, $"level_{level}_problem_{id}_sample_0_kernel.py"));
            File.Copy(Candidate("wrong", level, id), Path.Combine(candidates, $"level_{level}_problem_{id}_sample_1_kernel.py"));
        }
        var run = Path.Combine(_dir, "run");
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--candidates", candidates, "--out", run,
            "--format", "json", "--perf-trials", "3", "--trials", "2", "--workers", "2"], console);

        Assert.That(code, Is.Zero, console.Output);
        var attempts = RunStore.Open(run).ReadAttempts().Attempts;
        Assert.That(attempts, Has.Count.EqualTo(6));
        foreach (var group in attempts.GroupBy(a => a.ProblemKey))
        {
            // Each problem's candidates in their listed order on one worker: sample 0 (correct) first, then sample 1 (wrong).
            var ordered = group.OrderBy(a => a.Index).ToList();
            Assert.That(ordered.Select(a => a.Index), Is.EqualTo(new[] { 0, 1 }), group.Key);
            Assert.That(ordered.Select(a => a.Status), Is.EqualTo(new[] { "correct", "incorrect" }), group.Key);
            Assert.That(ordered[0].Source, Does.Contain("sample_0"), group.Key);
        }
        var spans = attempts.Select(a => (a.ProblemKey, a.StartedAt, a.EndedAt)).ToList();
        var overlap = spans.Any(x => spans.Any(y => x.ProblemKey != y.ProblemKey && x.StartedAt < y.EndedAt && y.StartedAt < x.EndedAt));
        Assert.That(overlap, Is.True, "two workers judge two problems at the same time");
    }

    [Test]
    public async Task Eval_BuildWorkers_BuildAheadAndGiveTheSameVerdicts()
    {
        var candidates = Directory.CreateDirectory(Path.Combine(_dir, "candidates")).FullName;
        var good = File.ReadAllText(Candidate("correct", 1, 1));
        File.WriteAllText(Path.Combine(candidates, "level_1_problem_1_sample_0_kernel.py"), good);
        File.WriteAllText(Path.Combine(candidates, "level_1_problem_1_sample_1_kernel.py"),
            good.Replace("name=\"kbh_sample_scale_shift\"", "name=\"kbh_eval_broken\"").Replace("return out;", "return out +;"));
        File.Copy(Candidate("wrong", 1, 2), Path.Combine(candidates, "level_1_problem_2_sample_0_kernel.py"));
        var run = Path.Combine(_dir, "run");
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--candidates", candidates, "--out", run,
            "--format", "json", "--perf-trials", "3", "--trials", "2", "--build-workers", "2", "--backend", "cpp"], console);

        Assert.That(code, Is.Zero, console.Output);
        var attempts = RunStore.Open(run).ReadAttempts().Attempts.OrderBy(a => a.ProblemKey).ThenBy(a => a.Index).ToList();
        Assert.That(attempts.Select(a => (a.ProblemKey, a.Status)), Is.EqualTo(new[]
        {
            ("L1/1", "correct"), ("L1/1", "compile_error"), ("L1/2", "incorrect"),
        }));
        Assert.That(attempts[0].Verdict!.BuildSeconds, Is.GreaterThan(1.0), "the build stage's time is in the verdict");
        Assert.That(attempts[1].Verdict!.Reason, Does.Contain("error"));
    }

    /// <summary>Models often give their extension a generic name: candidates of different problems and attempts at one
    /// problem that share it, with different code, in one batch built ahead by a build worker on a cold cache.</summary>
    [Test]
    public async Task Eval_SameExtensionNameDifferentCode_EachJudgedWithItsOwnCode()
    {
        var candidates = Directory.CreateDirectory(Path.Combine(_dir, "candidates")).FullName;
        var fixtures = Path.Combine(Paths.RepoRoot, "harness", "tests", "KernelBench.Harness.Tests", "Scoring", "Fixtures", "same_name");
        File.Copy(Path.Combine(fixtures, "scale_shift.py"), Path.Combine(candidates, "level_1_problem_1_sample_0_kernel.py"));
        File.Copy(Path.Combine(fixtures, "scale_only.py"), Path.Combine(candidates, "level_1_problem_1_sample_1_kernel.py"));
        File.Copy(Path.Combine(fixtures, "softmax.py"), Path.Combine(candidates, "level_1_problem_2_sample_0_kernel.py"));
        var run = Path.Combine(_dir, "run");
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--candidates", candidates, "--out", run,
            "--format", "json", "--perf-trials", "3", "--trials", "2", "--build-workers", "1", "--backend", "cpp"], console);

        Assert.That(code, Is.Zero, console.Output);
        var attempts = RunStore.Open(run).ReadAttempts().Attempts.OrderBy(a => a.ProblemKey).ThenBy(a => a.Index).ToList();
        Assert.That(attempts.Select(a => (a.ProblemKey, a.Status)), Is.EqualTo(new[]
        {
            ("L1/1", "correct"), ("L1/1", "incorrect"), ("L1/2", "correct"),
        }), string.Join("\n", attempts.Select(a => a.Verdict?.Reason)));
    }

    [Test]
    public void Eval_GpusWithoutCuda_IsBadUsageNamingTheOption()
    {
        var result = KbhProcess.Run("eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--candidates", _dir, "--out", Path.Combine(_dir, "run"), "--gpus", "0,0");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("--gpus needs --device cuda"));
    }
}
