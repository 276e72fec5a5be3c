using KernelBench.Harness.Agent.Prompts;
using KernelBench.Harness.Config;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Prompts;

public sealed class PromptSetTests
{
    private static Problem Sample => ProblemLoader.Load(Paths.SampleProblems).Find(1, 1)!;

    [Test]
    public void RenderInitial_BuiltIn_CarriesTheReferenceSourceAndRules()
    {
        var text = PromptSet.Load(new PromptSettings()).RenderInitial(Sample, "cuda", "cuda");
        Assert.That(text, Does.Contain(Sample.Source.TrimEnd()));
        Assert.That(text, Does.Contain("ModelNew").And.Contain("load_inline").And.Contain("ONE fenced"));
        Assert.That(text, Does.Not.Contain("{{"));
    }

    [Test]
    public void Load_UnknownPlaceholder_ErrorNamesFileLineAndPlaceholder()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kbh-prompt-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, "Optimize this:\n{{problem_source}}\nfor {{gpu_name}}\n");
        try
        {
            var e = Assert.Throws<PromptTemplateException>(() => PromptSet.Load(new PromptSettings(Initial: path)));
            Assert.That(e!.Message, Does.StartWith($"{path}:3:").And.Contain("{{gpu_name}}").And.Contain("{{problem_source}}"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void RenderFeedback_UserTemplate_UsedInsteadOfBuiltIn()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kbh-prompt-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, "Attempt {{attempt}} was {{status}}.\n{{details}}");
        try
        {
            var text = PromptSet.Load(new PromptSettings(Feedback: path)).RenderFeedback(Sample, 2, new FeedbackText("incorrect output", "max diff 3 {{x}}", ""), "cpu");
            Assert.That(text, Is.EqualTo("Attempt 2 was incorrect output.\nmax diff 3 {{x}}"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Load_MissingTemplateFile_ClearError()
    {
        var e = Assert.Throws<PromptTemplateException>(() => PromptSet.Load(new PromptSettings(Initial: "/nonexistent/p.md")));
        Assert.That(e!.Message, Does.Contain("/nonexistent/p.md").And.Contain("not found"));
    }
}
