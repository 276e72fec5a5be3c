using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Engine;

namespace KernelBench.Harness.Tests.Scoring.Engine;

public class CandidateSourceTests
{
    [TestCase("", "empty")]
    [TestCase("   \n", "empty")]
    [TestCase("import torch\nclass Model(torch.nn.Module): pass\n", "no class ModelNew")]
    [TestCase("class ModelNew:\0", "not Python")]
    public void Problem_BadSource_SaysWhy(string source, string why) =>
        Assert.That(CandidateSource.Problem(source), Does.Contain(why));

    [Test]
    public void Problem_HugeSource_NamesTheLimit() =>
        Assert.That(CandidateSource.Problem("class ModelNew: pass\n" + new string('#', CandidateSource.MaxBytes)), Does.Contain("limit"));

    [Test]
    public void Read_BinaryFile_IsBadInputNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kbh-cand-{Guid.NewGuid():N}.py");
        File.WriteAllBytes(path, [0xff, 0xfe, 0x00, 0x81]);
        var e = Assert.Throws<BadInputException>(() => CandidateSource.Read(path))!;
        File.Delete(path);
        Assert.That(e.Message, Does.Contain(path).And.Contain("not Python"));
    }

    [Test]
    public void From_ReferenceSource_RenamesModelToModelNew()
    {
        var source = "class Model(nn.Module):\n    def __init__(self):\n        super(Model, self).__init__()\nclass ModelB: pass\n";
        var renamed = ReferenceCandidate.From(source);
        Assert.That(renamed, Does.Contain("class ModelNew(nn.Module):").And.Contain("super(ModelNew, self)").And.Contain("class ModelB:"));
    }
}
