using System.Security.Cryptography;
using System.Text.Json;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli;

[TestFixture]
public class ProblemsCommandTests
{
    [Test]
    [Category("KernelBench")]
    public void List_CsvOnRealKernelBench_Prints270RowsWhoseHashesMatchTheFiles()
    {
        var result = KbhProcess.Run("problems", "list", "--kernelbench", Paths.KernelBench, "--format", "csv");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("level,id,name,sha256,path"));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows.GroupBy(r => r[0]).Select(g => (g.Key, g.Count())),
            Is.EqualTo(new[] { ("1", 100), ("2", 100), ("3", 50), ("4", 20) }));
        foreach (var row in rows)
            Assert.That(row[3], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(row[4])))), row[4]);
    }

    [Test]
    [Category("KernelBench")]
    public void List_JsonForOneLevel_GivesThatLevelOnly()
    {
        var result = KbhProcess.Run("problems", "list", "--kernelbench", Paths.KernelBench, "--level", "3", "--format", "json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.That(doc.RootElement.GetArrayLength(), Is.EqualTo(50));
        Assert.That(doc.RootElement.EnumerateArray().Select(e => e.GetProperty("level").GetInt32()), Is.All.EqualTo(3));
        Assert.That(doc.RootElement.EnumerateArray().Any(e => e.GetProperty("name").GetString() == "LeNet5"));
    }

    [Test]
    public void List_TableOnSamples_ShowsNamesAndSetHash()
    {
        var result = KbhProcess.Run("problems", "list", "--kernelbench", Paths.SampleProblems);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("Scale_and_shift").And.Contain("Linear_ReLU_scale").And.Contain("4 problems"));
    }

    [Test]
    public void List_BrokenFile_IsReportedOnStderrAndTheRestListed()
    {
        using var dir = new TempDir();
        foreach (var file in Directory.GetFiles(Path.Combine(Paths.SampleProblems, "level1")))
            File.Copy(file, Path.Combine(Directory.CreateDirectory(Path.Combine(dir.Path, "level1")).FullName, Path.GetFileName(file)));
        dir.File("level1/9_Broken.py", "import torch\n");

        var result = KbhProcess.Run("problems", "list", "--kernelbench", dir.Path, "--format", "csv");

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(4));
        Assert.That(result.Stderr, Does.Contain("9_Broken.py: missing top-level definitions 'Model', 'get_inputs', 'get_init_inputs'"));
    }

    [Test]
    [Category("KernelBench")]
    public void Show_OneProblem_PrintsMetadataAndSource()
    {
        var result = KbhProcess.Run("problems", "show", "--kernelbench", Paths.KernelBench, "--level", "1", "--id", "19");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("ReLU").And.Contain("def get_inputs():").And.Contain("sha256"));
    }

    [Test]
    public void Show_UnknownId_ExitsTwoWithOneLineAndNoStackTrace()
    {
        var result = KbhProcess.Run("problems", "show", "--kernelbench", Paths.SampleProblems, "--level", "1", "--id", "99");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr.Trim(), Does.StartWith("kbh: error:").And.Contain("no problem with level 1 and id 99"));
        Assert.That(result.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase(new[] { "problems", "list" }, "--kernelbench DIR is required")]
    [TestCase(new[] { "problems", "list", "--kernelbench", "/nonexistent" }, "/nonexistent: KernelBench folder not found")]
    [TestCase(new[] { "problems", "list", "--kernelbench", ".", "--format", "xml" }, "--format must be table, csv or json")]
    [TestCase(new[] { "frobnicate" }, "frobnicate")]
    public void BadUsage_ExitsTwoWithAClearMessage(string[] args, string expected)
    {
        var result = KbhProcess.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stdout + result.Stderr);
        Assert.That(result.Stderr, Does.Contain(expected));
        Assert.That(result.Stderr, Does.Not.Contain("   at "));
    }

    [Test]
    public void Verbose_AddsTheStackTrace()
    {
        var result = KbhProcess.Run("problems", "list", "--kernelbench", "/nonexistent", "--verbose");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("   at "));
    }

    [Test]
    public void Version_PrintsVersionAndCommit()
    {
        var result = KbhProcess.Run("--version");

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Stdout, Does.Match(@"^\d+\.\d+\.\d+ \(commit [0-9a-f]{7,40}|unknown\)"));
    }

    // Every command KbhApp registers; the next test checks that `kbh --help` lists no top-level command missing here.
    private static readonly string[] Commands =
    [
        "problems list", "problems show", "config check", "run", "merge", "slurm submit", "slurm status", "slurm resubmit",
        "models", "eval", "baseline", "doctor", "gpus", "cache info", "cache clear", "report", "leaderboard",
    ];

    [TestCaseSource(nameof(Commands))]
    public void Help_EveryCommandHasIt(string command)
    {
        var result = KbhProcess.Run([.. command.Split(' '), "--help"]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("USAGE:").And.Contain("kbh " + command));
    }

    [Test]
    public void Help_TopLevel_ListsOnlyCommandsThatHaveHelpTests()
    {
        var result = KbhProcess.Run("--help");
        var listed = result.Stdout.Split('\n').SkipWhile(l => !l.StartsWith("COMMANDS:", StringComparison.Ordinal)).Skip(1)
            .Where(l => l.Length > 4 && l.StartsWith("    ", StringComparison.Ordinal) && l[4] != ' ') // not a wrapped description
            .Select(l => l.Trim().Split(' ')[0]).ToList();

        Assert.That(listed, Is.Not.Empty);
        Assert.That(listed, Is.SubsetOf(Commands.Select(c => c.Split(' ')[0]).Distinct()));
    }
}
