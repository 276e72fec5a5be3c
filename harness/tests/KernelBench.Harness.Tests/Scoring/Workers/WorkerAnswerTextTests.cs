using System.Text.Json;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Tests.Scoring.Workers;

public class WorkerAnswerTextTests
{
    [Test]
    public void Read_LoneSurrogateAnywhere_BecomesThatJobsRuntimeErrorInsteadOfThrowingLater()
    {
        // A lone surrogate escape is valid JSON; .NET throws when it is read as a string (a name or a value).
        foreach (var line in new[]
                 {
                     """{"id": 7, "nonce": "n", "status": "correct", "phase_seconds": {"a\ud800": 1.0}}""",
                     """{"id": 7, "nonce": "n", "status": "correct", "findings": [{"message": "x\udc00"}]}""",
                 })
        {
            var body = WorkerAnswerText.Read(line, "n");
            Assert.That(body, Is.Not.Null);
            var reply = new WorkerReply(WorkerOutcome.Answered, body!.Value, "", "");
            Assert.That(reply.Status, Is.EqualTo("runtime_error"));
            Assert.That(reply.Str("reason"), Does.Contain("not valid Unicode"));
            Assert.That(body.Value.GetProperty("id").GetInt64(), Is.EqualTo(7));
        }
    }

    [Test]
    public void Read_ValidAnswer_KeptAsSent_OtherLinesIgnored()
    {
        var body = WorkerAnswerText.Read("""{"id": 3, "nonce": "n", "status": "correct", "reason": "ok \ud83d\ude00"}""", "n");
        Assert.That(body!.Value.GetProperty("reason").GetString(), Is.EqualTo("ok \U0001F600"));
        Assert.That(WorkerAnswerText.Read("""{"id": 3, "nonce": "other", "status": "correct"}""", "n"), Is.Null);
        Assert.That(WorkerAnswerText.Read("not json", "n"), Is.Null);
        Assert.That(WorkerAnswerText.Read("[1, 2]", "n"), Is.Null);
        Assert.That(WorkerAnswerText.Read("""{"id": 3, "nonce": "n\ud800", "status": "correct"}""", "n"), Is.Null);
    }
}
