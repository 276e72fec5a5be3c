using KernelBench.Harness.Agent.Loop;
using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Config;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;
using static KernelBench.Harness.Tests.Agent.Loop.LoopFixture;

namespace KernelBench.Harness.Tests.Agent.Loop;

/// <summary>The closed loop against a real HTTP model server, with a scripted verifier for the verdicts.</summary>
public sealed class AgentRunnerTests
{
    private ScriptedModelServer _server = null!;
    private string _out = null!;

    [SetUp]
    public void SetUp()
    {
        _server = new ScriptedModelServer();
        _out = TempDir();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }

    private async Task<IReadOnlyList<ProblemOutcome>> Run(RunConfig config, CancellationToken ct = default) =>
        await Start(config).RunAsync(new ScriptedVerifier(), null, ct);

    private List<AttemptRecord> Stored() => RunStore.Open(_out).ReadAttempts().Attempts.ToList();

    [Test]
    public async Task RunAsync_CompileErrorThenWrongThenCorrect_CorrectOnThirdWithFeedbackAndNoReasoningSentBack()
    {
        _server.Enqueue(Answer("compile_error", "SECRET-THOUGHT-1"), Answer("incorrect", "SECRET-THOUGHT-2"), Answer("correct 1.5", "SECRET-THOUGHT-3"));
        var outcome = (await Run(MakeConfig(_server, _out, new BudgetSettings(null, 10, null), stopAt: 1.0))).Single();

        Assert.That(Stored().Select(a => a.Status), Is.EqualTo(new[] { "compile_error", "incorrect", "correct" }));
        Assert.That(outcome.Solved, Is.True);
        Assert.That(outcome.StopReason, Is.EqualTo("reached stop_at_speedup"));
        var requests = _server.ChatRequests.Select(r => r.Json["messages"]!.AsArray()).ToList();
        Assert.That(requests, Has.Count.EqualTo(3));
        Assert.That((string)requests[1][^1]!["content"]!, Does.Contain("compilation failed").And.Contain("expected a \";\""));
        Assert.That((string)requests[2][^1]!["content"]!, Does.Contain("incorrect output").And.Contain("Max absolute difference: 1"));
        Assert.That((string)requests[2][1]!["content"]!, Does.Contain("# verdict: incorrect"));
        foreach (var body in _server.ChatRequests.Select(r => r.Body))
            Assert.That(body, Does.Not.Contain("SECRET-THOUGHT").And.Not.Contain("\"system\""));
        Assert.That(Stored()[0].Reasoning, Is.EqualTo("SECRET-THOUGHT-1"));
    }

    /// <summary>The scripted verdicts, with each call to the verifier noted in order.</summary>
    private sealed class PreparingVerifier : KernelBench.Harness.Scoring.IVerifier, KernelBench.Harness.Scoring.IPreparingVerifier
    {
        private readonly ScriptedVerifier _verdicts = new();
        public System.Collections.Concurrent.ConcurrentQueue<string> Calls { get; } = new();

        public Task PrepareAsync(KernelBench.Harness.Problems.Problem problem, CancellationToken cancellationToken)
        {
            Calls.Enqueue("prepare " + problem.Key);
            return Task.CompletedTask;
        }

        public Task<KernelBench.Harness.Scoring.Verdicts.Verdict> VerifyAsync(KernelBench.Harness.Problems.Problem problem, string candidateSource, CancellationToken cancellationToken)
        {
            Calls.Enqueue("verify " + problem.Key);
            return _verdicts.VerifyAsync(problem, candidateSource, cancellationToken);
        }
    }

    [Test]
    public async Task RunAsync_PreparingVerifier_EachProblemPreparedWhileTheModelWritesItsFirstAnswer()
    {
        // The answers come slowly: the verifier is asked to get each problem ready before any answer is in.
        _server.Fallback = _ => ServerReply.Streamed("```python\nimport torch\n# verdict: incorrect\nclass ModelNew(torch.nn.Module):\n    pass\n```\n",
            "thinking", completionTokens: 10) with { EventDelayMs = 100 };
        var verifier = new PreparingVerifier();

        await Start(MakeConfig(_server, _out, new BudgetSettings(null, 2, null), ids: [1, 2])).RunAsync(verifier, null, default);

        var calls = verifier.Calls.ToList();
        Assert.That(calls.Where(c => c.StartsWith("prepare")), Is.EquivalentTo(new[] { "prepare L1/1", "prepare L1/2" }), "once per problem");
        Assert.That(calls.Count(c => c.StartsWith("verify")), Is.EqualTo(4));
        foreach (var key in new[] { "L1/1", "L1/2" })
            Assert.That(calls.IndexOf("prepare " + key), Is.LessThan(calls.IndexOf("verify " + key)), $"{key} prepared before its first check");
    }

    [Test]
    public async Task RunAsync_BestOfN_IndependentChainsShareTheAttemptBudget()
    {
        _server.Fallback = _ => Answer("incorrect");
        await Run(MakeConfig(_server, _out, new BudgetSettings(null, 5, null), strategy: "best_of_n", samples: 3));
        var stored = Stored();
        Assert.That(stored, Has.Count.EqualTo(5));
        Assert.That(stored.Select(a => a.Chain).Distinct().Order(), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(_server.ChatRequests.Select(r => r.Json["messages"]!.AsArray().Count), Is.All.EqualTo(1));
    }

    [Test]
    public async Task RunAsync_Hybrid_EachChainRefinedOnItsOwnFeedback()
    {
        _server.Fallback = _ => Answer("incorrect", "THOUGHT");
        await Run(MakeConfig(_server, _out, new BudgetSettings(null, 4, null), strategy: "hybrid", samples: 2));
        var stored = Stored();
        Assert.That(stored, Has.Count.EqualTo(4));
        Assert.That(stored.GroupBy(a => a.Chain).Select(g => g.Count()), Is.EquivalentTo(new[] { 2, 2 }), "two chains, two attempts each");
        // Each chain's second request carries its own first answer and that answer's feedback, never the reasoning.
        var conversations = _server.ChatRequests.Select(r => r.Json["messages"]!.AsArray()).ToList();
        Assert.That(conversations.Select(m => m.Count).Order(), Is.EqualTo(new[] { 1, 1, 3, 3 }));
        foreach (var refined in conversations.Where(m => m.Count == 3))
        {
            Assert.That((string)refined[2]!["content"]!, Does.Contain("attempt 1"));
            Assert.That(refined.ToJsonString(), Does.Not.Contain("THOUGHT"));
        }
    }

    [Test]
    public async Task RunAsync_TokenBudget_StopsOnceReached()
    {
        _server.Fallback = _ => Answer("incorrect", tokens: 50);
        var outcome = (await Run(MakeConfig(_server, _out, new BudgetSettings(null, null, 120)))).Single();
        Assert.That(Stored(), Has.Count.EqualTo(3));
        Assert.That(outcome.StopReason, Does.Contain("token budget"));
    }

    [Test]
    public async Task RunAsync_RateLimited_WaitRecordedNotCharged()
    {
        _server.Enqueue(ServerReply.Error(429, "slow down", retryAfterSeconds: 1), Answer("correct 2"));
        await Run(MakeConfig(_server, _out, new BudgetSettings(null, 1, null)));
        var a = Stored().Single();
        Assert.That(a.WaitSeconds, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(a.ChargedSeconds, Is.LessThan(a.WaitSeconds));
        Assert.That((a.Retries, a.RetryLog!.Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task RunAsync_AnswerWithoutCode_NoCodeFedBack()
    {
        _server.Enqueue(ServerReply.Streamed("I cannot write this kernel."), Answer("correct 1"));
        await Run(MakeConfig(_server, _out, new BudgetSettings(null, 2, null)));
        Assert.That(Stored().Select(a => a.Status), Is.EqualTo(new[] { "no_code", "correct" }));
        Assert.That((string)_server.ChatRequests[1].Json["messages"]![2]!["content"]!, Does.Contain("no fenced ```python block"));
    }

    [Test]
    public async Task RunAsync_EndpointKeepsFailing_ModelErrorRecordedAndChainEnds()
    {
        _server.Fallback = _ => ServerReply.Error(502, "bad gateway");
        var outcome = (await Run(MakeConfig(_server, _out, new BudgetSettings(null, 5, null)))).Single();
        var a = Stored().Single();
        Assert.That((a.Status, a.Retries), Is.EqualTo(("model_error", 1)));
        Assert.That(a.Error, Does.Contain("HTTP 502"));
        Assert.That(outcome.StopReason, Does.StartWith("model error"));
    }

    [Test]
    public async Task RunAsync_RetiredModel_StopsTheRunKeepingWhatWasStored()
    {
        _server.Enqueue(Answer("incorrect"));
        _server.Fallback = _ => ServerReply.Error(410, "model deepseek-ai/deepseek-r1 has reached its end of life");
        var e = await Assert.ThrowsAsync<ModelEndpointException>(() => Run(MakeConfig(_server, _out, new BudgetSettings(null, 5, null))));
        Assert.That(e!.Message, Does.Contain("410").And.Contain("retired"));
        Assert.That(Stored().Single().Status, Is.EqualTo("incorrect"));
    }

    [Test]
    public async Task RunAsync_SeveralProblemsInParallel_EachGetsItsBudget()
    {
        _server.Fallback = _ => Answer("incorrect");
        var config = MakeConfig(_server, _out, new BudgetSettings(null, 2, null), ids: [1, 2, 3]) with { ParallelProblems = 3 };
        var outcomes = await Run(config);
        Assert.That(outcomes.Select(o => (o.ProblemKey, o.Attempts)), Is.EqualTo(new[] { ("L1/1", 2), ("L1/2", 2), ("L1/3", 2) }));
    }

    [Test]
    public async Task RunAsync_MaxConcurrentRequests_NoMoreInFlightAndTheWaitIsNotCharged()
    {
        _server.Fallback = _ => Slow(Answer("incorrect"));
        var config = MakeConfig(_server, _out, new BudgetSettings(null, 2, null), ids: [1, 2, 3]) with { ParallelProblems = 3, Strategy = "best_of_n", Samples = 2 };
        config = config with { Model = config.Model with { MaxConcurrentRequests = 2 } };
        await Run(config);

        var stored = Stored();
        Assert.That(stored, Has.Count.EqualTo(6), "3 problems x 2 chains, one attempt each");
        Assert.That(_server.MaxChatRequestsInFlight, Is.EqualTo(2), "six chains at once, never more than two requests");
        var waited = stored.MaxBy(a => a.WaitSeconds)!;
        Assert.That(waited.WaitSeconds, Is.GreaterThanOrEqualTo(0.4), "the last requests waited for a slot");
        var wall = (waited.EndedAt - waited.StartedAt).TotalSeconds;
        Assert.That(waited.ChargedSeconds, Is.EqualTo(wall - waited.WaitSeconds).Within(0.05), "charged: its time less the wait");
    }

    // Streams its events 100 ms apart: a request stays in flight long enough for others to pile up behind it.
    private static ServerReply Slow(ServerReply reply) => reply with { EventDelayMs = 100 };

    [Test]
    public async Task RunAsync_TwoProblemsShareOneGpu_TheWaitForItIsRecordedNotCharged()
    {
        _server.Fallback = _ => Answer("correct 2");
        var config = MakeConfig(_server, _out, new BudgetSettings(null, 1, null), ids: [1, 2]) with { ParallelProblems = 2 };
        // One GPU lane judging one candidate at a time, each taking 1.5 s: whichever problem comes second waits for it.
        using var gpu = new KernelBench.Harness.Scoring.Devices.MultiDeviceVerifier(
            [new KernelBench.Harness.Scoring.Devices.GpuDevice("cuda:0", 0)], _ => new SlowVerifier(TimeSpan.FromSeconds(1.5)), workersPerDevice: 1);
        await Start(config).RunAsync(gpu, null, CancellationToken.None);

        var stored = Stored().OrderBy(a => a.WaitSeconds).ToList();
        Assert.That(stored.Select(a => a.Status), Is.EqualTo(new[] { "correct", "correct" }));
        var (first, second) = (stored[0], stored[1]);
        Assert.That(second.WaitSeconds, Is.GreaterThanOrEqualTo(1.2), "the second problem waited for the GPU");
        Assert.That(second.Verdict!.QueueSeconds, Is.GreaterThanOrEqualTo(1.2));
        Assert.That(second.ChargedSeconds, Is.LessThan(first.ChargedSeconds + 1.0), "the wait is not charged: both cost about one check");
    }

    private sealed class SlowVerifier(TimeSpan delay) : KernelBench.Harness.Scoring.IVerifier
    {
        public async Task<KernelBench.Harness.Scoring.Verdicts.Verdict> VerifyAsync(KernelBench.Harness.Problems.Problem problem, string candidateSource, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return await new ScriptedVerifier().VerifyAsync(problem, candidateSource, cancellationToken);
        }
    }

    [Test]
    public async Task Resume_AfterCancellation_ContinuesWithoutCountingTwice()
    {
        _server.Fallback = _ => Answer("incorrect", tokens: 10);
        var config = MakeConfig(_server, _out, new BudgetSettings(null, 5, null));
        using var cts = new CancellationTokenSource();
        var first = Start(config);
        await Assert.CatchAsync<OperationCanceledException>(() => first.RunAsync(new ScriptedVerifier(), a => { if (a.Index == 1) cts.Cancel(); }, cts.Token));
        Assert.That(Stored(), Has.Count.EqualTo(2));

        var resumed = RunSession.Resume(_out, m => new OpenAiCompatibleClient(m, null, Fast));
        await resumed.RunAsync(new ScriptedVerifier(), null, CancellationToken.None);
        var stored = Stored();
        Assert.That(stored.Select(a => a.Index), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(stored.Select(a => a.BudgetSecondsAtEnd), Is.Ordered);
        // The resumed chain refines on the stored answer: its first request carries the last stored attempt's feedback.
        Assert.That((string)_server.ChatRequests[2].Json["messages"]![2]!["content"]!, Does.Contain("attempt 2"));
    }

    /// <summary>Judges nothing: stops the run (as Ctrl-C or a scheduler's SIGTERM would) while the first candidate is being judged.</summary>
    private sealed class StopWhileJudging(CancellationTokenSource stop) : KernelBench.Harness.Scoring.IVerifier
    {
        public async Task<KernelBench.Harness.Scoring.Verdicts.Verdict> VerifyAsync(KernelBench.Harness.Problems.Problem problem, string candidateSource, CancellationToken cancellationToken)
        {
            await stop.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Test]
    public async Task Resume_StoppedCleanlyWhileJudging_JudgedAgainWithoutAskingTheModelAndTheStopIsNotCountedAsADeath()
    {
        _server.Fallback = _ => Answer("incorrect", tokens: 10);
        var config = MakeConfig(_server, _out, new BudgetSettings(null, 2, null));
        for (var stops = 0; stops < 3; stops++) // stopped three times at the same candidate: clean stops never make it harness_interrupted
        {
            using var cts = new CancellationTokenSource();
            var session = stops == 0 ? Start(config) : RunSession.Resume(_out, m => new OpenAiCompatibleClient(m, null, Fast));
            await Assert.CatchAsync<OperationCanceledException>(() => session.RunAsync(new StopWhileJudging(cts), null, cts.Token));
        }
        Assert.That(Stored(), Is.Empty);
        Assert.That(RunStore.Open(_out).ReadStarted().Select(r => r.Event), Is.EqualTo(new[] { "started", "cancelled", "started", "cancelled", "started", "cancelled" }));

        await RunSession.Resume(_out, m => new OpenAiCompatibleClient(m, null, Fast)).RunAsync(new ScriptedVerifier(), null, CancellationToken.None);
        Assert.That(Stored().Select(a => (a.Index, a.Status)), Is.EqualTo(new[] { (0, "incorrect"), (1, "incorrect") }));
        Assert.That(_server.ChatRequests, Has.Count.EqualTo(2), "the stopped attempt's answer was kept, not asked for again");
    }

    [Test]
    public async Task Start_ApiKeyFromEnvironment_NeverStoredAndRemovedFromTheEnvironment()
    {
        const string key = "sk-kbh-SECRET-7f3a9c1e";
        Environment.SetEnvironmentVariable("KBH_TEST_API_KEY", key);
        _server.Enqueue(ServerReply.Error(500, $"echoing your header: Bearer {key}"), Answer("incorrect"));
        var config = MakeConfig(_server, _out, new BudgetSettings(null, 1, null)) with { };
        config = config with { Model = config.Model with { ApiKeyEnv = "KBH_TEST_API_KEY" } };
        await Run(config);
        Assert.That(_server.ChatRequests[0].Headers["authorization"], Is.EqualTo("Bearer " + key));
        Assert.That(Environment.GetEnvironmentVariable("KBH_TEST_API_KEY"), Is.Null);
        foreach (var file in Directory.EnumerateFiles(_out, "*", SearchOption.AllDirectories))
            Assert.That(File.ReadAllText(file), Does.Not.Contain(key).And.Not.Contain("7f3a9c1e"), file);
        Assert.That(Stored().Single().RetryLog!.Single(), Does.Contain("***"));
    }

    [Test]
    public void Start_MissingKeyVariable_ClearErrorAndNoRunFolder()
    {
        var config = MakeConfig(_server, _out, new BudgetSettings(null, 1, null));
        config = config with { Model = config.Model with { ApiKeyEnv = "KBH_TEST_UNSET_KEY_VAR" } };
        var e = Assert.Throws<ModelEndpointException>(() => RunSession.Start(config, "test"));
        Assert.That(e!.Message, Does.Contain("KBH_TEST_UNSET_KEY_VAR").And.Contain("not set"));
        Assert.That(Directory.Exists(_out), Is.False);
    }
}
