using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Store;

/// <summary>started.jsonl read back: which attempts a resume must finish, and how many deaths each has against it.</summary>
public sealed class StartLogTests
{
    private static AttemptRecord Attempt(int index) => new() { ProblemKey = "L1/1", Index = index, Status = "started", Code = "code", CodeSha256 = "abc" };

    [Test]
    public void Unfinished_CountsStartsWithoutVerdictOrCleanCancel_AndSkipsTornLines()
    {
        using var dir = new TempDir();
        var store = RunStore.Create(dir.Path, new RunManifest { RunId = "t", Kind = "run" });
        store.MarkStarted(StartedRecord.Of(Attempt(0)));
        store.Append(Attempt(0) with { Status = "incorrect" }); // finished: not unfinished
        store.MarkStarted(StartedRecord.Of(Attempt(1)));
        store.MarkStarted(StartedRecord.CancelOf(Attempt(1))); // a clean stop does not count
        store.MarkStarted(StartedRecord.Of(Attempt(1)));
        store.MarkStarted(StartedRecord.Of(Attempt(2)));
        store.MarkStarted(StartedRecord.Of(Attempt(2)));
        File.AppendAllText(store.StartedPath, "{\"problem_key\":\"L1/1\",\"ind"); // torn by a kill
        store.EndTornLine();
        store.MarkStarted(StartedRecord.Of(Attempt(3)));

        var unfinished = StartLog.Unfinished(store.ReadStarted(), store.ReadAttempts().Attempts);

        Assert.That(unfinished.Select(u => (u.Attempt.Index, u.Starts)), Is.EqualTo(new[] { (1, 1), (2, 2), (3, 1) }));
        Assert.That(unfinished[0].Attempt.Code, Is.EqualTo("code"), "the attempt as it was before judging, to judge again");
    }
}
