using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Tests.Problems;

[TestFixture]
public class PythonDefinitionsTests
{
    [Test]
    public void Find_TopLevelStatements_ReturnsNamesInOrder()
    {
        const string source = """
            '''Module docstring mentioning
            class NotReal: and x = 1
            '''
            import torch
            class Model(torch.nn.Module):
                inner = 3
            async def fetch():
                pass
            a, b = 1, 2
            typed: int = 5
            if a == b:
                hidden = 1
            """;

        Assert.That(PythonDefinitions.Find(source), Is.EqualTo(new[] { "Model", "fetch", "a", "b", "typed" }));
    }

    [Test]
    public void Find_ComparisonAtTopLevel_IsNotAnAssignment()
    {
        Assert.That(PythonDefinitions.Find("x == 3\n"), Is.Empty);
    }
}
