using KernelBench.Harness.Cli;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Agent.Loop;
using KernelBench.Harness.Tests.Support;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Cli.Commands.Run;

/// <summary>`kbh run` and `kbh models` through the real command routing, exit codes included.</summary>
public sealed class RunCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = LoopFixture.TempDir());

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Output)> Kbh(params string[] args)
    {
        var console = new TestConsole { Profile = { Width = 200 } };
        var code = await KbhApp.RunAsync(args, console);
        return (code, console.Output);
    }

    private string WriteConfig(string baseUrl, string extra = "")
    {
        var path = Path.Combine(_dir, "run.yaml");
        File.WriteAllText(path, $"kernelbench: {Paths.SampleProblems}\nproblems: {{ level: 1, ids: [1] }}\n" +
                                $"model: {{ base_url: {baseUrl}, name: deepseek-ai/deepseek-r1, max_retries: 0 {extra} }}\nbudget: {{ attempts: 2 }}\ndevice: cpu\nout: run\n");
        return path;
    }

    [TestCase]
    [TestCase("--config", "a.yaml", "--resume", "b")]
    public async Task Run_NotExactlyOneOfConfigOrResume_BadInput(params string[] options)
    {
        var (code, _) = await Kbh(["run", .. options]);
        Assert.That(code, Is.EqualTo(2));
    }

    [Test]
    public async Task Run_ConfigAgainstScriptedServer_StoresAttemptsAndRefusesToOverwrite()
    {
        await using var server = new ScriptedModelServer { Fallback = _ => LoopFixture.Answer("incorrect") };
        var config = WriteConfig(server.BaseUrl);
        var (code, output) = await Kbh("run", "--config", config);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("L1/1 chain 0 attempt 2"));
        Assert.That(RunStore.Open(Path.Combine(_dir, "run")).ReadAttempts().Attempts, Has.Count.EqualTo(2));

        var (again, _) = await Kbh("run", "--config", config);
        Assert.That(again, Is.EqualTo(2));
        Assert.That(RunStore.Open(Path.Combine(_dir, "run")).ReadAttempts().Attempts, Has.Count.EqualTo(2));
    }

    /// <summary>--policy overrides eval.policy for a new run, read by the settings parser (its choices and words); the
    /// run keeps it in config.json and in every verdict; a resumed run keeps the policy it began with.</summary>
    [Test]
    public async Task Run_Policy_OverridesTheConfig_KeptInConfigAndVerdicts_RefusedWithResumeOrUnknown()
    {
        var bad = KbhProcess.Run("run", "--config", Path.Combine(_dir, "none.yaml"), "--policy", "lenient");
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.Stderr, Does.Contain("--policy").And.Contain("kernelbench-static"));
        var resumed = KbhProcess.Run("run", "--resume", _dir, "--policy", "strict");
        Assert.That(resumed.ExitCode, Is.EqualTo(2));
        Assert.That(resumed.Stderr, Does.Contain("--policy goes with --config"));

        await using var server = new ScriptedModelServer { Fallback = _ => LoopFixture.Answer("incorrect") };
        var config = WriteConfig(server.BaseUrl);
        File.AppendAllText(config, "eval: { policy: strict }\n");
        var (code, output) = await Kbh("run", "--config", config, "--policy", "kernelbench-static");
        Assert.That(code, Is.EqualTo(0), output);
        var folder = Path.Combine(_dir, "run");
        Assert.That(File.ReadAllText(Path.Combine(folder, "config.json")), Does.Contain("\"policy\": \"kernelbench-static\""));
        var verdicts = RunStore.Open(folder).ReadAttempts().Attempts.Select(a => a.Verdict).OfType<KernelBench.Harness.Scoring.Verdicts.Verdict>().ToList();
        Assert.That(verdicts, Is.Not.Empty);
        Assert.That(verdicts.Select(v => (v.Policy, v.Settings?.Policy)), Is.All.EqualTo(("kernelbench-static", "kernelbench-static")));
    }

    [Test]
    public async Task Run_WrongModelName_StopsWithExitCode2()
    {
        await using var server = new ScriptedModelServer { Fallback = _ => ServerReply.Error(404, "The model `deepseek-ai/deepseek-r1` does not exist") };
        var (code, _) = await Kbh("run", "--config", WriteConfig(server.BaseUrl));
        Assert.That(code, Is.EqualTo(2));
    }

    [Test]
    public async Task Models_Endpoint_ListsAndMarksTheConfiguredModel()
    {
        await using var server = new ScriptedModelServer { Models = ["deepseek-ai/deepseek-r1", "meta/llama-3.1-8b-instruct"] };
        var (code, output) = await Kbh("models", "--config", WriteConfig(server.BaseUrl));
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("* deepseek-ai/deepseek-r1").And.Contain("  meta/llama-3.1-8b-instruct"));
    }
}
