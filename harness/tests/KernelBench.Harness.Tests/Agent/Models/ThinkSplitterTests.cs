using KernelBench.Harness.Agent.Models;

namespace KernelBench.Harness.Tests.Agent.Models;

public sealed class ThinkSplitterTests
{
    [TestCase("<think>plan</think>answer", "plan", "answer")]
    [TestCase("plan</think>\nanswer", "plan", "answer")]
    [TestCase("<think>cut off at the token limit", "cut off at the token limit", "")]
    [TestCase("no reasoning at all, mentions <think> in passing", "", "no reasoning at all, mentions <think> in passing")]
    [TestCase("answer only", "", "answer only")]
    public void Split_Content_ReasoningAndAnswerApart(string content, string reasoning, string answer)
    {
        Assert.That(ThinkSplitter.Split(content), Is.EqualTo((reasoning, answer)));
    }
}
