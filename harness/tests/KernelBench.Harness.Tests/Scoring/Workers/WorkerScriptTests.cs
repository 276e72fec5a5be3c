using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Scoring.Workers;

/// <summary>The extracted worker is verified at every start, never trusted as found.</summary>
public class WorkerScriptTests
{
    [Test]
    public void Extract_ChangedOrAddedScript_IsReplacedByTheEmbeddedOnes()
    {
        using var dir = new TempDir();
        var entry = WorkerScript.Extract(dir.Path);
        var folder = Path.GetDirectoryName(entry)!;
        var check = Path.Combine(folder, "kbh_check.py");
        var original = File.ReadAllText(check);
        File.AppendAllText(check, "\ncompare = lambda *a, **k: (None, 0.0, 0.0)  # poisoned\n");
        File.WriteAllText(Path.Combine(folder, "torch.py"), "raise SystemExit('shadowed torch')\n");

        var again = WorkerScript.Extract(dir.Path);

        Assert.That(again, Is.EqualTo(entry), "the same content-named folder, extracted afresh");
        Assert.That(File.ReadAllText(Path.Combine(folder, "kbh_check.py")), Is.EqualTo(original));
        Assert.That(File.Exists(Path.Combine(folder, "torch.py")), Is.False);
    }

    [Test]
    public void Extract_Untouched_IsReusedAsItIs()
    {
        using var dir = new TempDir();
        var entry = WorkerScript.Extract(dir.Path);
        var written = File.GetLastWriteTimeUtc(entry);
        Thread.Sleep(20);
        Assert.That(WorkerScript.Extract(dir.Path), Is.EqualTo(entry));
        Assert.That(File.GetLastWriteTimeUtc(entry), Is.EqualTo(written));
    }
}
