using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli;

[TestFixture]
public class ConfigCheckCommandTests
{
    [Test]
    public void Check_ValidConfig_PrintsResolvedSettings()
    {
        using var dir = new TempDir();
        var file = dir.File("run.yaml", """
            kernelbench: kb
            problems: { level: 2 }
            model: { base_url: "http://127.0.0.1:8000/v1", name: deepseek-r1 }
            budget: { attempts: 3 }
            out: runs/a
            """);

        var result = KbhProcess.Run("config", "check", file);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("is a valid run config").And.Contain("temperature: 0.6").And.Contain($"out: {dir.Path}/runs/a"));
    }

    [Test]
    public void Check_Typo_ExitsTwoNamingFileLineAndColumn()
    {
        using var dir = new TempDir();
        var file = dir.File("run.yaml", "kernelbench: kb\nproblem: { level: 1 }\n");

        var result = KbhProcess.Run("config", "check", file);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain($"{file}:2:1: unknown key 'problem'; did you mean 'problems'?"));
    }
}
