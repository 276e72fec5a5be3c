using KernelBench.Harness.Cli;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Reports.Leaderboard;

/// <summary>`kbh leaderboard` on three real run folders: two comparable (same problem set, tolerance, GPU) and one on another GPU.</summary>
public sealed class LeaderboardTests
{
    private TempFolder _temp = null!;
    private string[] _runs = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        // a: the worked example. L1: 3/3 correct, fast_1 2/3, geomean (2*0.5*1.2)^(1/3) = 1.0627; L2: 0/2.
        var a = RunFolderBuilder.WorkedExample(_temp.Sub("a"));
        // b: L1 3/3 correct at 1.5x, 1.5x, 0.5x: fast_1 2/3 too, geomean (1.125)^(1/3) = 1.0400 < a's; L2: 1/1 correct.
        var b = new RunFolderBuilder(_temp.Sub("b"), RunFolderBuilder.Manifest("b", ["L1/1", "L1/2", "L1/3", "L2/1"]))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (1.5, 1.5, 1.5))
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (1.5, 1.5, 1.5))
            .Attempt(1, 3, 0, "correct", 10, 0, cand: (2, 2, 2), reference: (1, 1, 1))
            .Attempt(2, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (1, 1, 1)).Folder;
        // c: another GPU, 3/3 correct at 3x: better than both, but must not be ranked with them.
        var c = new RunFolderBuilder(_temp.Sub("c"), RunFolderBuilder.Manifest("c", ["L1/1", "L1/2", "L1/3"], gpu: "NVIDIA A100"))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (3, 3, 3))
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (3, 3, 3))
            .Attempt(1, 3, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (3, 3, 3)).Folder;
        _runs = [c, b, a];
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private async Task<List<Dictionary<string, string>>> RunLeaderboard()
    {
        var outFile = _temp.Sub("out/leaderboard.csv");
        var console = new TestConsole();
        console.Profile.Width = 200;
        var code = await KbhApp.RunAsync(["leaderboard", .. _runs, "--out", outFile], console);
        Assert.That(code, Is.Zero, console.Output);
        Assert.That(console.Output, Does.Contain("ranked separately"));
        var lines = File.ReadAllLines(outFile);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(CsvRead.Split(l)).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    [Test]
    public async Task Leaderboard_Level1_RanksComparableRunsByNoiseAwareFast1()
    {
        // Noise-aware fast_1 (lower bound = ref CI lower / candidate CI upper > 1): test-run 1/3 (only L1/1: 1.9/1.1 = 1.73;
        // L1/2 0.9/2.2, L1/3 1.0/1.1 = 0.91 are not), b 2/3 (1.5/1 twice): b first although both have point fast_1 2/3.
        var rows = (await RunLeaderboard()).Where(r => r["level"] == "1").ToList();
        Assert.That(rows.Select(r => (r["run_id"], r["group"], r["rank"])),
            Is.EqualTo(new[] { ("b", "1", "1"), ("test-run", "1", "2"), ("c", "2", "1") }));
        Assert.That(rows[1]["geomean_speedup"], Is.EqualTo("1.062659"));
        Assert.That(rows[0]["geomean_speedup"], Is.EqualTo("1.040042"));
    }

    [Test]
    public async Task Leaderboard_OtherGpu_MarkedNotComparableWithReason()
    {
        var c = (await RunLeaderboard()).Single(r => r["level"] == "1" && r["run_id"] == "c");
        Assert.That(c["gpu"], Is.EqualTo("NVIDIA A100"));
        Assert.That(c["note"], Does.Contain("not comparable with group 1").And.Contain("GPU NVIDIA A100 vs NVIDIA H100"));
    }

    [Test]
    public async Task Leaderboard_Level2_NoiseAwareAndPointTied_GeomeanDecides()
    {
        // Both 0 noise-aware and 0 point fast_1 (b's 1.0x is not > 1); b has a geomean (1.0), test-run none.
        var rows = (await RunLeaderboard()).Where(r => r["level"] == "2").ToList();
        Assert.That(rows.Select(r => (r["run_id"], r["rank"], r["correct_share"])),
            Is.EqualTo(new[] { ("b", "1", "1"), ("test-run", "2", "0") }));
        Assert.That(rows.Select(r => r["note"]), Is.EqualTo(new[]
        {
            "", "tied with rank 1 on noise-aware fast_1; point fast_1 or the geomean decided, which noise can",
        }), "one comparison group on level 2; the tie is named");
    }
}
