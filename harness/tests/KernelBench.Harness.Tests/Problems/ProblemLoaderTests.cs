using System.Security.Cryptography;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Problems;

[TestFixture]
public class ProblemLoaderTests
{
    private const string ValidProblem = """
        import torch
        import torch.nn as nn

        class Model(nn.Module):
            def forward(self, x):
                return x + 1

        size = 4

        def get_inputs():
            return [torch.rand(size)]

        def get_init_inputs():
            return []
        """;

    [Test]
    public void Load_SampleProblems_FindsFourWithDefinitions()
    {
        var set = ProblemLoader.Load(Paths.SampleProblems);

        Assert.That(set.Errors, Is.Empty);
        Assert.That(set.Problems.Select(p => p.Key), Is.EqualTo(new[] { "L1/1", "L1/2", "L1/3", "L2/1" }));
        Assert.That(set.Problems[0].Definitions, Does.Contain("Model").And.Contain("get_inputs").And.Contain("batch_size"));
    }

    [Test]
    [Category("KernelBench")]
    public void Load_RealKernelBench_Gives100_100_50_20WithMatchingHashes()
    {
        var set = ProblemLoader.Load(Paths.KernelBench);

        Assert.That(set.Errors, Is.Empty);
        Assert.That(set.Problems.GroupBy(p => p.Level).Select(g => (g.Key, g.Count())),
            Is.EqualTo(new[] { (1, 100), (2, 100), (3, 50), (4, 20) }));
        foreach (var p in set.Problems)
            Assert.That(p.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p.Path)))), p.Path);
        var lenet = set.Find(3, 4)!;
        Assert.That(lenet.Name, Is.EqualTo("LeNet5"));
        Assert.That(lenet.Definitions, Is.SupersetOf(new[] { "Model", "get_inputs", "get_init_inputs", "batch_size", "num_classes" }));
    }

    [Test]
    [Category("KernelBench")]
    public void Load_KernelBenchInnerFolderAndLevelFolder_GiveTheSameProblems()
    {
        var whole = ProblemLoader.Load(Paths.KernelBench);
        var inner = ProblemLoader.Load(Path.Combine(Paths.KernelBench, "KernelBench"));
        var level2 = ProblemLoader.Load(Path.Combine(Paths.KernelBench, "KernelBench", "level2"));

        Assert.That(inner.Hash, Is.EqualTo(whole.Hash));
        Assert.That(level2.Problems, Has.Count.EqualTo(100).And.All.Property(nameof(Problem.Level)).EqualTo(2));
        Assert.That(level2.Hash, Is.EqualTo(ProblemSet.ComputeHash(whole.Problems.Where(p => p.Level == 2))));
    }

    [Test]
    public void Load_ChangedFile_ChangesProblemSetHash()
    {
        using var dir = new TempDir();
        dir.File("level1/1_A.py", ValidProblem);
        var before = ProblemLoader.Load(dir.Path).Hash;
        dir.File("level1/1_A.py", ValidProblem + "\n# edited\n");

        Assert.That(ProblemLoader.Load(dir.Path).Hash, Is.Not.EqualTo(before));
    }

    [Test]
    public void Load_MissingModel_ReportsFileAndCauseAndLoadsTheRest()
    {
        using var dir = new TempDir();
        dir.File("level1/1_Good.py", ValidProblem);
        var bad = dir.File("level1/2_NoModel.py", ValidProblem.Replace("class Model", "class Other"));

        var set = ProblemLoader.Load(dir.Path);

        Assert.That(set.Problems.Select(p => p.Key), Is.EqualTo(new[] { "L1/1" }));
        Assert.That(set.Errors.Single().Path, Is.EqualTo(bad));
        Assert.That(set.Errors.Single().Reason, Does.Contain("missing top-level definition 'Model'"));
    }

    [Test]
    public void Load_ModelOnlyInsideAFunction_IsNotTakenAsTopLevel()
    {
        using var dir = new TempDir();
        dir.File("level1/1_Nested.py", ValidProblem.Replace("def get_init_inputs():\n    return []", "def helper():\n    def get_init_inputs():\n        return []"));

        var error = ProblemLoader.Load(dir.Path).Errors.Single();

        Assert.That(error.Reason, Does.Contain("'get_init_inputs'"));
    }

    [TestCase("ReLU.py")]
    [TestCase("x1_ReLU.py")]
    [TestCase("19-ReLU.py")]
    public void Load_MalformedName_ReportsFileAndExpectedForm(string fileName)
    {
        using var dir = new TempDir();
        var bad = dir.File($"level1/{fileName}", ValidProblem);

        var error = ProblemLoader.Load(dir.Path).Errors.Single();

        Assert.That(error.Path, Is.EqualTo(bad));
        Assert.That(error.Reason, Does.Contain("malformed file name").And.Contain("<id>_<name>.py"));
    }

    [Test]
    public void Load_DuplicateId_RefusesBothAndNamesTheOther()
    {
        using var dir = new TempDir();
        dir.File("level2/7_First.py", ValidProblem);
        dir.File("level2/7_Second.py", ValidProblem);
        dir.File("level2/8_Fine.py", ValidProblem);

        var set = ProblemLoader.Load(dir.Path);

        Assert.That(set.Problems.Select(p => p.Key), Is.EqualTo(new[] { "L2/8" }));
        Assert.That(set.Errors.Select(e => Path.GetFileName(e.Path)), Is.EquivalentTo(new[] { "7_First.py", "7_Second.py" }));
        Assert.That(set.Errors.First(e => e.Path.EndsWith("7_First.py")).Reason,
            Does.Contain("duplicate id 7 in level 2").And.Contain("7_Second.py"));
    }

    [Test]
    public void Load_NotUtf8_ReportsByteOffset()
    {
        using var dir = new TempDir();
        var bad = Path.Combine(dir.Path, "level1", "3_Latin1.py");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        var bytes = System.Text.Encoding.UTF8.GetBytes("# caf").Concat(new byte[] { 0xE9, 0x0A }).Concat(System.Text.Encoding.UTF8.GetBytes(ValidProblem)).ToArray();
        File.WriteAllBytes(bad, bytes);

        var error = ProblemLoader.Load(dir.Path).Errors.Single();

        Assert.That(error.Path, Is.EqualTo(bad));
        Assert.That(error.Reason, Does.Contain("not valid UTF-8").And.Contain("offset 5"));
    }

    [Test]
    public void Load_UnreadableFile_ReportsItAndLoadsTheRest()
    {
        // A dangling link is unreadable for every user, root included (tests and CI run as root, who reads any mode).
        using var dir = new TempDir();
        dir.File("level1/5_Ok.py", ValidProblem);
        var broken = Path.Combine(dir.Path, "level1", "4_Broken.py");
        File.CreateSymbolicLink(broken, Path.Combine(dir.Path, "gone.py"));

        var set = ProblemLoader.Load(dir.Path);

        Assert.That(set.Problems.Select(p => p.Key), Is.EqualTo(new[] { "L1/5" }));
        Assert.That(set.Errors.Single().Path, Is.EqualTo(broken));
        Assert.That(set.Errors.Single().Reason, Does.StartWith("unreadable"));
    }

    [Test]
    public void Load_MissingFolder_ThrowsBadInputNamingIt()
    {
        var ex = Assert.Throws<BadInputException>(() => ProblemLoader.Load("/nonexistent/kernelbench"));
        Assert.That(ex!.Message, Does.Contain("/nonexistent/kernelbench").And.Contain("not found"));
    }

    [Test]
    public void Load_FolderWithoutLevels_ThrowsBadInputSayingWhatWasExpected()
    {
        using var dir = new TempDir();
        dir.File("README.md", "nothing here");

        var ex = Assert.Throws<BadInputException>(() => ProblemLoader.Load(dir.Path));

        Assert.That(ex!.Message, Does.Contain("no KernelBench level folders"));
    }
}
