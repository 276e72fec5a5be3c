using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Baselines;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Scoring.Baselines;

public class BaselineFileTests
{
    private static string Published => Path.Combine(Paths.KernelBench, "results", "timing", "H100_Modal", "baseline_time_torch.json");

    [Test]
    [Category("KernelBench")]
    public void Load_PublishedKernelBenchBaseline_FindsProblemEntries()
    {
        if (!File.Exists(Published))
            Assert.Ignore($"this KernelBench checkout has no published baseline timings ({Published})");
        var file = BaselineFile.Load(Published);
        var e = file.Find(1, "1_Square_matrix_multiplication_.py")!;
        Assert.That(e.Mean, Is.EqualTo(2.66));
        Assert.That(e.NumTrials, Is.EqualTo(100));
        Assert.That(e.Hardware, Is.EqualTo("NVIDIA H100 80GB HBM3"));
        Assert.That(file.Entries.Select(x => x.Level).Distinct(), Is.SupersetOf(new[] { 1, 2, 3 }));
    }

    [Test]
    public void Save_ThenLoad_RoundTripsInKernelBenchShape()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kbh-baseline-{Guid.NewGuid():N}.json");
        var file = new BaselineFile();
        file.Set(2, "1_Conv2D_ReLU_BiasAdd.py", new BaselineEntry(0.123456, 0.00123, 0.12, 0.2, 100, "cpu", "cpu"));
        file.Save(path);
        var text = File.ReadAllText(path);
        var back = BaselineFile.Load(path).Find(2, "1_Conv2D_ReLU_BiasAdd.py")!;
        File.Delete(path);
        Assert.That(text, Does.Contain("\"level2\"").And.Contain("\"num_trials\": 100"));
        Assert.That(back.Mean, Is.EqualTo(0.123)); // three significant digits, as KernelBench writes
        Assert.That(back.Device, Is.EqualTo("cpu"));
    }

    [Test]
    public void Load_NotABaseline_SaysWhatIsWrong()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kbh-baseline-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"levelX\": {}}");
        var e = Assert.Throws<BadInputException>(() => BaselineFile.Load(path))!;
        File.Delete(path);
        Assert.That(e.Message, Does.Contain("levelX"));
    }
}
