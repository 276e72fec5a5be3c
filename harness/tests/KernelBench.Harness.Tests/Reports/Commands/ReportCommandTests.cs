using System.Text.Json.Nodes;
using KernelBench.Harness.Cli;
using KernelBench.Harness.Store;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Reports.Commands;

/// <summary>`kbh report` end to end on real run folders, including the broken ones a killed or foreign run leaves.</summary>
public sealed class ReportCommandTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static async Task<(int Code, string Output)> Kbh(params string[] args)
    {
        var console = new TestConsole();
        console.Profile.Width = 200;
        var code = await KbhApp.RunAsync(args, console);
        return (code, console.Output);
    }

    private string Summary(string runDir) => File.ReadAllText(Path.Combine(runDir, "report", "summary.csv"));

    [Test]
    public async Task Report_WorkedExample_PrintsTableAndPathAndWritesFiles()
    {
        var run = RunFolderBuilder.WorkedExample(_temp.Sub("run"));
        var (code, output) = await Kbh("report", run);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("66.7%").And.Contain("1.06x").And.Contain(Path.Combine(run, "report")));
        foreach (var file in new[] { "problems.csv", "summary.csv", "budget.csv", "report.md" })
            Assert.That(File.Exists(Path.Combine(run, "report", file)), Is.True, file);
        Assert.That(Summary(run), Does.Contain(",false\n"), "a complete run is not partial");
    }

    [Test]
    public async Task Report_TornLastLine_ReportsWhatIsThereMarkedPartial()
    {
        var run = RunFolderBuilder.WorkedExample(_temp.Sub("run"));
        File.AppendAllText(Path.Combine(run, RunStore.AttemptsFile), "{\"problem_key\":\"L2/2\",\"sta");
        var (code, output) = await Kbh("report", run);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("partial").And.Contain("attempts.jsonl:7"));
        Assert.That(Summary(run), Does.Contain("1,3,3,3,1,").And.Contain(",true\n"));
        Assert.That(File.ReadAllText(Path.Combine(run, "report", "report.md")), Does.Contain("Partial report"));
    }

    [Test]
    public async Task Report_TornLineRedoneOnResume_NotPartialButNoted()
    {
        // A kill tore L2/1's attempt; the resumed run ended the torn line and wrote the attempt again in full.
        var folder = _temp.Sub("run");
        var b = new RunFolderBuilder(folder, RunFolderBuilder.Manifest(keys: ["L1/1", "L2/1"]))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (2, 2, 2));
        File.AppendAllText(Path.Combine(folder, RunStore.AttemptsFile), "{\"problem_key\":\"L2/1\",\"level\":2,\"problem_id\":1,\"chain\":0,\"index\":0,\"stat\n");
        b.Attempt(2, 1, 0, "runtime_error", 10, 1);
        var (code, output) = await Kbh("report", folder);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("redone on resume").And.Not.Contain("partial"));
        Assert.That(Summary(folder), Does.Contain(",false\n").And.Contain("\nall,2,2,1,0.5,"));
    }

    [Test]
    public async Task Report_NewerFormatRunJson_SaysSoAndStillReports()
    {
        var run = RunFolderBuilder.WorkedExample(_temp.Sub("run"));
        var manifestPath = Path.Combine(run, RunStore.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        json["format"] = RunManifest.CurrentFormat + 1;
        File.WriteAllText(manifestPath, json.ToJsonString());
        var (code, output) = await Kbh("report", run);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("newer harness"));
        Assert.That(Summary(run), Does.Contain("deepseek-r1").And.Contain(",true\n"));
    }

    [Test]
    public async Task Report_RunOfAnotherHarnessVersion_SaysWhichAndMarksItPartial()
    {
        var run = RunMadeBy("0.0.7 (commit 1234567)");
        var (code, output) = await Kbh("report", run);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("made by harness 0.0.7, reported by "));
        Assert.That(Summary(run), Does.Contain(",true\n"), "marked partial");
    }

    [Test]
    public async Task Report_RunOfThisVersionAnotherCommit_IsNotPartial()
    {
        var run = RunMadeBy("0.1.0 (commit 1234567)");
        var (code, output) = await Kbh("report", run);
        Assert.That(code, Is.Zero, output);
        Assert.That(Summary(run), Does.Contain(",false\n"));
    }

    // The worked example, as if written by the given harness version.
    private string RunMadeBy(string harnessVersion)
    {
        var run = RunFolderBuilder.WorkedExample(_temp.Sub("run"));
        var manifestPath = Path.Combine(run, RunStore.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        json["harness_version"] = harnessVersion;
        File.WriteAllText(manifestPath, json.ToJsonString());
        return run;
    }

    [Test]
    public async Task Report_CorruptRunJson_ReportsAttemptsMarkedPartial()
    {
        var run = RunFolderBuilder.WorkedExample(_temp.Sub("run"));
        File.WriteAllText(Path.Combine(run, RunStore.ManifestFile), "{ not json");
        var (code, output) = await Kbh("report", run);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("not a valid run manifest"));
        Assert.That(Summary(run), Does.StartWith("level,").And.Contain("\n1,3,3,3,1,"));
    }

    [Test]
    public async Task Report_EmptyFolder_ExitCode2ClearMessageNoReport()
    {
        var run = _temp.Sub("empty");
        Directory.CreateDirectory(run);
        var stderr = new StringWriter();
        var old = Console.Error;
        Console.SetError(stderr);
        try
        {
            var (code, output) = await Kbh("report", run);
            Assert.That(code, Is.EqualTo(2), output);
        }
        finally
        {
            Console.SetError(old);
        }
        Assert.That(stderr.ToString(), Does.Contain("not a run folder").And.Contain("no report written"));
        Assert.That(Directory.Exists(Path.Combine(run, "report")), Is.False, "nothing written");
    }

    [Test]
    public async Task Report_CorruptRunJson_ModelNameRecoveredFromAttemptsWithWarning()
    {
        var folder = _temp.Sub("run");
        new RunFolderBuilder(folder, RunFolderBuilder.Manifest(keys: ["L1/1"]))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (2, 2, 2), model: "qwen3-coder");
        File.WriteAllText(Path.Combine(folder, RunStore.ManifestFile), "{ not json");
        var (code, output) = await Kbh("report", folder);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("warning:").And.Contain("model name \"qwen3-coder\" recovered from attempts.jsonl"));
        var lines = Summary(folder).Split('\n');
        var model = Array.IndexOf(lines[0].Split(','), "model");
        Assert.That(lines[1].Split(',')[model], Is.EqualTo("qwen3-coder"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "report", "report.md")), Does.Contain("| Model | qwen3-coder |"));
    }

    [Test]
    public async Task Report_NoSuchFolder_ExitCode2()
    {
        var (code, _) = await Kbh("report", _temp.Sub("nope"));
        Assert.That(code, Is.EqualTo(2));
    }

    [Test]
    public async Task Report_BadPList_ExitCode2()
    {
        var run = RunFolderBuilder.WorkedExample(_temp.Sub("run"));
        var (code, _) = await Kbh("report", run, "-p", "1,x");
        Assert.That(code, Is.EqualTo(2));
    }
}
