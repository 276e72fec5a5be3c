using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>Defence in depth behind the sandbox: a model key that reached a candidate's reason or output anyway never
/// reaches a stored verdict (and so neither the run folder nor the feedback built from it).</summary>
public class SecretScrubbingTests
{
    [Test]
    public void Make_ReasonAndOutputHoldingTheTakenKey_AreScrubbed()
    {
        const string variable = "KBH_TEST_SCRUB_KEY";
        const string key = "sk-kbh-scrub-5d2e9a71";
        Environment.SetEnvironmentVariable(variable, key);
        Assert.That(ApiKeySource.Take(variable), Is.EqualTo(key));

        var verdict = new VerdictFactory(Sample(1, 1), "sha", new EvalSettings(), new EnvironmentInfo())
            .Make(VerdictStatus.Incorrect, $"trial 0: expected {key}", $"printed {key} twice: {key}");

        Assert.That(verdict.Reason + verdict.CandidateOutput, Does.Not.Contain(key));
        Assert.That(verdict.Reason, Is.EqualTo("trial 0: expected [secret removed]"));
        Assert.That(verdict.CandidateOutput, Is.EqualTo("printed [secret removed] twice: [secret removed]"));
    }
}
