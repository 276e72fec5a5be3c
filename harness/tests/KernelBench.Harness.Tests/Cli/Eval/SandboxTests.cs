using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using KernelBench.Harness.Tests.Scoring.Engine;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli.Eval;

/// <summary>
/// The candidates' OS sandbox, through the real `kbh eval`: a hostile probe tries what the sandbox must deny, with a
/// secret in the harness's own environment, a listener on loopback and the harness's files to poison; and the same
/// harness on a machine that cannot make user namespaces (inside bubblewrap with --disable-userns) says so, records it,
/// and with --require-sandbox refuses to judge.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class SandboxTests
{
    private const string Secret = "sk-kbh-probe-7f1c2a";

    private static string Probe(int port, IEnumerable<string> targets) =>
        File.ReadAllText(Path.Combine(ScoringFixtures.Folder, "hostile", "sandbox_probe.py"))
            .Replace("PORT = 9", $"PORT = {port}")
            .Replace("TARGETS = []", "TARGETS = [" + string.Join(", ", targets.Select(t => JsonSerializer.Serialize(t))) + "]");

    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static KbhProcess.Result Eval(string cache, string candidate, IEnumerable<string>? extra = null, string? wrapper = null,
        IReadOnlyDictionary<string, string?>? more = null)
    {
        var args = new List<string> { "eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--level", "1", "--problem", "1",
            "--candidate", candidate, "--format", "json", "--perf-trials", "3", "--trials", "2" };
        args.AddRange(extra ?? []);
        var environment = new Dictionary<string, string?>
        {
            ["KBH_CACHE"] = cache, ["KBH_PYTHON"] = ScoringFixtures.Python, ["DEEPSEEK_API_KEY"] = Secret,
        };
        foreach (var (k, v) in more ?? new Dictionary<string, string?>())
            environment[k] = v;
        if (wrapper is null)
            return KbhProcess.Run(args, environment: environment);
        // The same kbh inside bubblewrap: the whole filesystem as it is, but no further user namespaces and no capabilities.
        return KbhProcess.RunWrapped(["bwrap", "--dev-bind", "/", "/", "--unshare-user", "--disable-userns", "--cap-drop", "ALL", "--"], args, environment);
    }

    [Test]
    public void Eval_HostileProbe_GetsNoSecretNoFileNoNetworkNoProcess()
    {
        using var dir = new TempDir();
        var cache = Path.Combine(dir.Path, "cache");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var problem = Path.Combine(Paths.SampleProblems, "level1", "1_Scale_and_shift.py");
            var readme = Path.Combine(Paths.RepoRoot, "README.md");
            var (problemSha, readmeSha) = (Sha(problem), Sha(readme));
            var candidate = Path.Combine(dir.Path, "probe.py");
            // (The build cache: Eval_HostileBuild_CannotWriteTheSharedBuildCache_….)
            File.WriteAllText(candidate, Probe(port, [problem, readme]));

            var result = Eval(cache, candidate);

            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            using var doc = JsonDocument.Parse(result.Stdout.Trim());
            var verdict = doc.RootElement;
            Assert.That(verdict.GetProperty("status").GetString(), Is.EqualTo("correct"), verdict.GetProperty("reason").GetString());
            var sandbox = verdict.GetProperty("sandbox");
            foreach (var part in new[] { "namespaces", "network", "filesystem", "seccomp", "limits" })
                Assert.That(sandbox.GetProperty(part).GetString(), Is.EqualTo("true"), $"{part}: {sandbox}");
            // What entering it cost is measured in the candidate's process and reported with the verdict's phases.
            Assert.That(verdict.GetProperty("phase_seconds").GetProperty("sandbox.enter").GetDouble(), Is.GreaterThan(0),
                verdict.GetProperty("phase_seconds").ToString());

            var output = verdict.GetProperty("candidate_output").GetString() ?? "";
            // One line from the build's process and one from the check's: each is a fresh process, each sandboxed.
            var lines = output.Split('\n').Where(l => l.StartsWith("KBH-PROBE ", StringComparison.Ordinal)).ToList();
            Assert.That(lines, Has.Count.EqualTo(2), output);
            foreach (var line in lines)
                AssertProbeDenied(line);
            Assert.Multiple(() =>
            {
                Assert.That(listener.Pending(), Is.False, "the listener on 127.0.0.1 got no connection");
                Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(Secret));
                Assert.That(Sha(problem), Is.EqualTo(problemSha), "the problem file is unchanged");
                Assert.That(Sha(readme), Is.EqualTo(readmeSha), "the repository is unchanged");
                foreach (var script in Directory.EnumerateFiles(Path.Combine(cache, "worker"), "*.py", SearchOption.AllDirectories))
                    Assert.That(File.ReadAllText(script), Does.Not.Contain("# poisoned"), script);
            });
        }
        finally
        {
            listener.Stop();
        }
    }

    [Test]
    public void Eval_HostileBuild_CannotWriteTheSharedBuildCache_AndTheHonestEntryStillLoads()
    {
        using var dir = new TempDir();
        var cache = Path.Combine(dir.Path, "cache");
        var fixtures = Path.Combine(Paths.RepoRoot, "harness", "tests", "KernelBench.Harness.Tests", "Scoring", "Fixtures");
        var honest = Path.Combine(dir.Path, "honest.py");
        File.Copy(Path.Combine(fixtures, "same_name", "scale_shift.py"), honest);
        Assert.That(Verdict(Eval(cache, honest, ["--backend", "cpp"])).Status, Is.EqualTo("correct"));
        var builds = Path.Combine(cache, "builds");
        var before = CacheFiles(builds);
        Assert.That(before.Keys.Count(k => k.EndsWith("KBH_COMPLETE", StringComparison.Ordinal)), Is.EqualTo(1), "the honest entry");

        var hostile = Path.Combine(dir.Path, "poison.py");
        File.WriteAllText(hostile, File.ReadAllText(Path.Combine(fixtures, "hostile", "build_cache_poison.py"))
            .Replace("BUILD_CACHE = \"/nonexistent\"", $"BUILD_CACHE = {JsonSerializer.Serialize(builds)}"));
        var (status, reason, output) = Verdict(Eval(cache, hostile, ["--backend", "cpp"]));

        // Its own extension was a miss, built by the trusted build step: it works, and is judged on it.
        Assert.That(status, Is.EqualTo("correct"), reason);
        var probes = output.Split('\n').Where(l => l.StartsWith("KBH-POISON ", StringComparison.Ordinal)).ToList();
        Assert.That(probes, Is.Not.Empty, output);
        foreach (var line in probes)
        {
            using var probe = JsonDocument.Parse(line["KBH-POISON ".Length..]);
            Assert.That(probe.RootElement.GetProperty("entries_seen").GetInt32(), Is.GreaterThan(0), "it could read the cache");
            Assert.That(probe.RootElement.GetProperty("planted").GetBoolean(), Is.False, "nothing planted at the cache's root");
            Assert.That(probe.RootElement.GetProperty("appended").GetInt32(), Is.Zero, "no entry written");
        }
        var after = CacheFiles(builds);
        foreach (var (file, sha) in before)
            Assert.That(after.GetValueOrDefault(file), Is.EqualTo(sha), $"{file} unchanged");
        Assert.That(after.Keys.Any(k => k.EndsWith("planted", StringComparison.Ordinal)), Is.False);
        Assert.That(Verdict(Eval(cache, honest, ["--backend", "cpp"])).Status, Is.EqualTo("correct"), "the honest entry still loads");
    }

    [Test]
    public void Eval_BuildFlagThatRunsAProgram_IsACompileErrorNamingIt()
    {
        using var dir = new TempDir();
        var candidate = Path.Combine(dir.Path, "plugin.py");
        var fixtures = Path.Combine(Paths.RepoRoot, "harness", "tests", "KernelBench.Harness.Tests", "Scoring", "Fixtures");
        File.WriteAllText(candidate, File.ReadAllText(Path.Combine(fixtures, "same_name", "scale_shift.py"))
            .Replace("verbose=False)", "verbose=False, extra_cflags=[\"-O2\", \"-fplugin=/tmp/evil.so\"])"));

        var (status, reason, _) = Verdict(Eval(Path.Combine(dir.Path, "cache"), candidate, ["--backend", "cpp"]));

        Assert.That(status, Is.EqualTo("compile_error"));
        Assert.That(reason, Does.Contain("does not pass these flags").And.Contain("-fplugin=/tmp/evil.so"));
        Assert.That(reason, Does.Not.Contain("-O2 "), "only the refused flag is named");
    }

    /// <summary>The host memory a candidate's process holds is capped by a memory cgroup the judge makes for it (rlimits
    /// cannot cap a GPU candidate: CUDA reserves address space by the hundred gigabytes). The candidate tries to lift its
    /// own limits and leave its group, then holds 1.5 GiB against a 512 MiB cap.</summary>
    [Test]
    public void Eval_CandidateOverItsHostMemoryCap_IsKilledAndTheVerdictNamesTheCap()
    {
        using var dir = new TempDir();
        var cache = Path.Combine(dir.Path, "cache");
        var candidate = Path.Combine(dir.Path, "hog.py");
        File.Copy(Path.Combine(ScoringFixtures.Folder, "hostile", "lift_memory_cap.py"), candidate);
        var cap = new Dictionary<string, string?> { ["KBH_CANDIDATE_MEMORY_BYTES"] = (512L << 20).ToString() };

        var result = Eval(cache, candidate, more: cap);

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout.Trim());
        var verdict = doc.RootElement;
        var memoryCap = verdict.GetProperty("sandbox").TryGetProperty("memory_cap", out var m) ? m.GetString() ?? "" : "";
        if (memoryCap.StartsWith("none", StringComparison.Ordinal))
            Assert.Ignore($"this machine gives the judge no memory cgroup ({memoryCap}); rlimits cap a CPU candidate instead");
        Assert.That(memoryCap, Does.StartWith("cgroup").And.Contain("0.5 GiB"));
        Assert.That(verdict.GetProperty("status").GetString(), Is.EqualTo("runtime_error"), verdict.GetProperty("reason").GetString());
        Assert.That(verdict.GetProperty("reason").GetString(), Does.Contain("cap on host memory"));
        var honest = Path.Combine(dir.Path, "honest.py");
        File.WriteAllText(honest, "import torch.nn as nn\n\nclass ModelNew(nn.Module):\n    def forward(self, x):\n        return x * 2.0 + 1.0\n");
        Assert.That(Verdict(Eval(cache, honest, more: cap)).Status, Is.EqualTo("correct"), "an honest candidate fits under the same cap");
    }

    private static (string Status, string Reason, string Output) Verdict(KbhProcess.Result result)
    {
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout.Trim());
        var v = doc.RootElement;
        return (v.GetProperty("status").GetString()!, v.GetProperty("reason").GetString() ?? "",
            v.TryGetProperty("candidate_output", out var o) ? o.GetString() ?? "" : "");
    }

    private static Dictionary<string, string> CacheFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f), Sha);

    private static void AssertProbeDenied(string line)
    {
        using var probe = JsonDocument.Parse(line["KBH-PROBE ".Length..]);
        var p = probe.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(p.GetProperty("visible_processes").GetInt32(), Is.LessThanOrEqualTo(2), "only its own processes are visible");
            Assert.That(p.GetProperty("environ_leaks").GetInt32(), Is.Zero, "no environment it can read holds the harness's secret");
            Assert.That(p.GetProperty("read /etc/shadow").GetBoolean(), Is.False);
            Assert.That(p.GetProperty("connected").GetBoolean(), Is.False, "no network");
            Assert.That(p.GetProperty("signalled").GetInt32(), Is.Zero, "no other process to signal");
            Assert.That(p.GetProperty("ptrace_attach_parent").GetBoolean(), Is.False);
            Assert.That(p.GetProperty("wrote_1_5_gb").GetBoolean(), Is.False, "its scratch space is capped");
        });
    }

    [Test]
    public void Eval_MachineWithoutUserNamespaces_SaysWhichPartIsMissingAndRequireRefuses()
    {
        if (!File.Exists("/usr/bin/bwrap"))
            Assert.Ignore("bubblewrap is not installed (scripts/setup.sh installs it): it makes the machine without user namespaces");
        using var dir = new TempDir();
        var cache = Path.Combine(dir.Path, "cache");
        var candidate = Path.Combine(Paths.SampleCandidates, "correct", "level1", "2.py");

        var auto = Eval(cache, Path.Combine(Paths.SampleCandidates, "correct", "level1", "1.py"), wrapper: "bwrap");
        Assert.That(auto.ExitCode, Is.Zero, auto.Stderr);
        using var doc = JsonDocument.Parse(auto.Stdout.Trim());
        var sandbox = doc.RootElement.GetProperty("sandbox");
        Assert.That(doc.RootElement.GetProperty("status").GetString(), Is.EqualTo("correct"));
        Assert.That(sandbox.GetProperty("namespaces").GetString(), Is.EqualTo("false"));
        Assert.That(sandbox.GetProperty("missing.namespaces").GetString(), Does.Contain("unshare"));
        Assert.That(auto.Stderr, Does.Contain("candidates run without part of their sandbox: namespaces"), "said once, on stderr");

        var required = Eval(cache, candidate, ["--require-sandbox"], wrapper: "bwrap");
        Assert.That(required.ExitCode, Is.EqualTo(2), required.Stdout);
        Assert.That(required.Stderr, Does.Contain("the sandbox is required").And.Contain("namespaces"));
    }
}
