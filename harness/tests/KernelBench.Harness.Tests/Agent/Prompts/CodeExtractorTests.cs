using KernelBench.Harness.Agent.Prompts;

namespace KernelBench.Harness.Tests.Agent.Prompts;

public sealed class CodeExtractorTests
{
    [Test]
    public void Extract_SeveralBlocks_TakesTheLastThatDefinesModelNew()
    {
        var answer = "Draft:\n```python\nclass ModelNew:\n    v = 1\n```\nFinal:\n```python\nimport torch\nclass ModelNew(torch.nn.Module):\n    v = 2\n```\n" +
                     "Usage:\n```python\nm = ModelNew()\n```\n```cpp\nclass ModelNew {};\n```";
        Assert.That(CodeExtractor.Extract(answer), Is.EqualTo("import torch\nclass ModelNew(torch.nn.Module):\n    v = 2\n"));
    }

    [Test]
    public void Extract_UnlabelledFence_Accepted()
    {
        Assert.That(CodeExtractor.Extract("```\nclass ModelNew:\n    pass\n```"), Is.EqualTo("class ModelNew:\n    pass\n"));
    }

    [TestCase("I would write a kernel, but here is just prose about class ModelNew.")]
    [TestCase("```python\nclass Model:\n    pass\n```")]
    [TestCase("```python\nclass ModelNew:\n    pass\n")]
    public void Extract_NoCompleteBlockDefiningModelNew_ReturnsNull(string answer)
    {
        Assert.That(CodeExtractor.Extract(answer), Is.Null);
    }
}
