using KernelBench.Harness.Core.Settings;
using KernelBench.Harness.Agent.Loop;
using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Config;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Loop;

/// <summary>Builds run configs over the sample problems that talk to a <see cref="ScriptedModelServer"/>, and scripted answers.</summary>
public static class LoopFixture
{
    public static readonly RetryTiming Fast = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));

    public static RunConfig MakeConfig(ScriptedModelServer server, string outDir, BudgetSettings budget, string strategy = "sequential",
        int samples = 1, double? stopAt = null, IReadOnlyList<int>? ids = null, int level = 1) => new()
    {
        KernelBench = Paths.SampleProblems,
        Problems = new ProblemSelection([level], ids ?? [1]),
        Model = new ModelSettings { Name = "deepseek-ai/deepseek-r1", BaseUrl = server.BaseUrl, MaxRetries = 1, IdleTimeoutSeconds = 5, RequestTimeoutSeconds = 30 },
        Budget = budget,
        Strategy = strategy,
        Samples = samples,
        StopAtSpeedup = stopAt,
        Eval = new EvalOptions { Device = "cpu" },
        Out = outDir,
    };

    public static RunSession Start(RunConfig config) =>
        RunSession.Start(config, "test", m => new OpenAiCompatibleClient(m, ApiKeySource.Take(m.ApiKeyEnv), Fast));

    public static ServerReply Answer(string verdictMarker, string reasoning = "I reason privately.", int tokens = 50) =>
        ServerReply.Streamed($"Here is my kernel.\n```python\nimport torch\n# verdict: {verdictMarker}\nclass ModelNew(torch.nn.Module):\n    pass\n```\n",
            reasoning, completionTokens: tokens);

    public static string TempDir() => Path.Combine(Path.GetTempPath(), "kbh-test-" + Guid.NewGuid().ToString("N"));
}
