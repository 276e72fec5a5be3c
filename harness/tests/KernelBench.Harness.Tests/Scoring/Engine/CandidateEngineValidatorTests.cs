using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Scoring.Verdicts;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>Static validator findings reach the verdict: a reject stops the candidate before any Python runs, a flag is kept.</summary>
public class CandidateEngineValidatorTests
{
    private sealed class WordRule(string word, FindingSeverity severity) : ICandidateValidator
    {
        public string Rule => "word_" + word;

        public IEnumerable<ValidationFinding> Validate(CandidateContext candidate) =>
            candidate.Source.Contains(word) ? [new ValidationFinding(Rule, severity, $"the source uses {word}")] : [];
    }

    [Test]
    public async Task Verify_RejectingValidator_IsRejectedWithoutStartingAWorker()
    {
        var cache = TempFolder();
        // strict: a static rule's own level stands (under the other policies static findings only flag).
        var options = Options(cache, TimeSpan.FromSeconds(30));
        using var engine = new CandidateEngine(options with
        {
            Settings = options.Settings with { Policy = Policies.Strict },
            Worker = new KernelBench.Harness.Scoring.Workers.WorkerOptions { Python = "/nonexistent/python", CacheRoot = cache },
        }, [new WordRule("return", FindingSeverity.Reject)]);
        var v = await engine.VerifyAsync(Sample(1, 1), SampleCandidate("correct", 1, 2), CancellationToken.None);
        Directory.Delete(cache, recursive: true);
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Rejected));
        Assert.That(v.Reason, Does.StartWith("word_return: the source uses return"));
        Assert.That(engine.WorkersStarted, Is.Zero);
    }
}
