using KernelBench.Harness.Cli.Commands.Eval;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Tests.Cli.Eval;

/// <summary>The longest problems judged first, from what an earlier run on the same cache measured (a real file).</summary>
public class JudgingOrderTests
{
    private string _cache = "";

    [SetUp]
    public void SetUp() => _cache = Directory.CreateTempSubdirectory("kbh-order-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_cache, recursive: true);

    private static readonly (string Key, string? Sha, int Count)[] Problems =
        [("L1/1", "aaaa", 1), ("L2/55", "bbbb", 1), ("L3/2", "cccc", 1), ("L3/4", "dddd", 2)];

    private static Verdict Judged(double? reference, double check) => new()
    {
        Status = VerdictStatus.Correct,
        PhaseSeconds = reference is { } r
            ? new Dictionary<string, double> { ["reference_job"] = r, ["check_job"] = check, ["load_job"] = 0.01 }
            : new Dictionary<string, double> { ["check_job"] = check },
    };

    private IReadOnlyList<string> OrderOnCuda() =>
        new JudgingOrder(_cache, "cuda").Order(Problems, p => p).Select(p => p.Key).ToList();

    [Test]
    public void Order_NothingRecorded_KeepsTheListingOrder()
    {
        Assert.That(OrderOnCuda(), Is.EqualTo(new[] { "L1/1", "L2/55", "L3/2", "L3/4" }));
    }

    [Test]
    public void Order_AfterARun_LongestFirst_NeverJudgedBeforeThem()
    {
        var first = new JudgingOrder(_cache, "cuda:0");
        first.Record("L1/1", "aaaa", Judged(0.6, 1.1));
        first.Record("L2/55", "bbbb", Judged(2.6, 1.6));
        first.Record("L3/2", "cccc", Judged(4.7, 2.4));
        first.Record("L3/4", "dddd", Judged(0.6, 0.3));
        first.Record("L3/4", "dddd", Judged(null, 1.9)); // a second candidate: its check, the reference kept
        first.Save();

        // L3/4: 0.6 + 2 x 1.9 = 4.4 s beats L2/55's 4.2 s; L3/2 7.1 s; L1/1 1.7 s.
        Assert.That(OrderOnCuda(), Is.EqualTo(new[] { "L3/2", "L3/4", "L2/55", "L1/1" }));

        var changed = new JudgingOrder(_cache, "cuda").Order([("L1/1", "aaaa", 1), ("L3/2", "changed", 1), ("L3/4", "dddd", 1)], p => p);
        Assert.That(changed.Select(p => p.Item1), Is.EqualTo(new[] { "L3/2", "L3/4", "L1/1" }), "an edited problem counts as never judged");
    }

    [Test]
    public void Order_CostsOnTheCpu_DoNotReorderAGpuRun()
    {
        var cpu = new JudgingOrder(_cache, "cpu");
        cpu.Record("L1/1", "aaaa", Judged(50, 50));
        cpu.Save();

        Assert.That(OrderOnCuda(), Is.EqualTo(new[] { "L1/1", "L2/55", "L3/2", "L3/4" }));
        Assert.That(new JudgingOrder(_cache, "cpu").Order(Problems, p => p).Select(p => p.Key),
            Is.EqualTo(new[] { "L2/55", "L3/2", "L3/4", "L1/1" }), "on the CPU: measured there, so after the never judged");
    }

    [Test]
    public void Order_RecordUnreadable_ListingOrder_AndTheNextSaveReplacesIt()
    {
        File.WriteAllText(Path.Combine(_cache, JudgingOrder.FileName), "{\"cuda|L3/4|dddd\": {\"reference_s\": ");
        Assert.That(OrderOnCuda(), Is.EqualTo(new[] { "L1/1", "L2/55", "L3/2", "L3/4" }));

        var order = new JudgingOrder(_cache, "cuda");
        order.Record("L2/55", "bbbb", Judged(3, 1));
        order.Save();
        Assert.That(OrderOnCuda()[^1], Is.EqualTo("L2/55"), "measured, and so after the three never judged");
    }

    [Test]
    public void Record_VerdictWithoutACheck_IsNotACost()
    {
        var order = new JudgingOrder(_cache, "cuda");
        order.Record("L1/1", "aaaa", new Verdict { Status = VerdictStatus.RuntimeError, PhaseSeconds = new Dictionary<string, double> { ["reference_job"] = 9 } });
        order.Save();
        Assert.That(OrderOnCuda(), Is.EqualTo(new[] { "L1/1", "L2/55", "L3/2", "L3/4" }));
    }
}
