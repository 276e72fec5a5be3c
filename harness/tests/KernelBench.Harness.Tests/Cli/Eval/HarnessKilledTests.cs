using System.Diagnostics;
using KernelBench.Harness.Tests.Scoring.Engine;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli.Eval;

/// <summary>
/// A harness stopped mid-check (a scheduler's time limit sends SIGTERM; kill -9 sends nothing) takes its worker and the
/// candidate's children with it: nothing is left running on the machine, or on a GPU.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class HarnessKilledTests
{
    [TestCase("KILL")]
    [TestCase("TERM")]
    public void Eval_HarnessKilledDuringACheck_LeavesNoWorkerOrChildRunning(string signal)
    {
        using var dir = new TempDir();
        var cache = Path.Combine(dir.Path, "cache");
        var candidate = Path.Combine(ScoringFixtures.Folder, "hang.py");
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Paths.RepoRoot,
        };
        foreach (var a in new[] { KbhProcess.KbhDll, "eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--level", "1", "--problem", "1",
                     "--candidate", candidate, "--timeout", "600" })
            info.ArgumentList.Add(a);
        info.Environment["KBH_PYTHON"] = ScoringFixtures.Python;
        info.Environment["KBH_CACHE"] = cache;
        using var kbh = Process.Start(info)!;
        _ = kbh.StandardOutput.ReadToEndAsync();
        _ = kbh.StandardError.ReadToEndAsync();
        try
        {
            Assert.That(WaitFor(() => Sleepers() > 0 && Workers(cache) > 0, TimeSpan.FromMinutes(2)), Is.True,
                "the candidate's forward is running (its child process exists)");

            Process.Start("kill", ["-" + signal, kbh.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            Assert.That(kbh.WaitForExit(TimeSpan.FromSeconds(30)), Is.True, "kbh ends on the signal");

            Assert.That(WaitFor(() => Workers(cache) == 0 && Sleepers() == 0, TimeSpan.FromSeconds(10)), Is.True,
                $"after SIG{signal} to kbh: {Workers(cache)} worker(s) and {Sleepers()} child process(es) still running");
        }
        finally
        {
            if (!kbh.HasExited)
                kbh.Kill(entireProcessTree: true);
        }
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (condition())
                return true;
            Thread.Sleep(200);
        }
        return condition();
    }

    // Workers are started with a capture file under the harness cache, so their command line names this test's cache.
    private static int Workers(string cache) => Count(cmdline => cmdline.Contains("kbh_worker.py") && cmdline.Contains(cache));

    private static int Sleepers() => Count(cmdline => cmdline.StartsWith("sleep\u00003171", StringComparison.Ordinal));

    private static int Count(Func<string, bool> match) => Directory.EnumerateDirectories("/proc")
        .Where(d => int.TryParse(Path.GetFileName(d), out _))
        .Count(d =>
        {
            try
            {
                return match(File.ReadAllText(Path.Combine(d, "cmdline")));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        });
}
