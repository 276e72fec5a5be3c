using System.Diagnostics;
using System.Text.Json;
using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Scoring.Cache;

/// <summary>
/// The compiler launcher (kbh_cc.py) under real torch builds: a kernel file and a bindings file built through
/// torch.utils.cpp_extension.load with g++, as load_inline splits a CUDA candidate into cuda.cu and main.cpp.
/// Each build runs in its own Python, as separate workers would.
/// </summary>
[TestFixture]
[Category("Slow")]
[NonParallelizable]
public class CompilerLauncherTests
{
    private const string Bindings = """
        #include <torch/extension.h>
        torch::Tensor twice_plus(torch::Tensor x);
        PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) { m.def("twice_plus", &twice_plus, "2x + c"); }
        """;

    // Needs only what the light header gives: the Tensor class, a factory, checks.
    private const string LightKernel = """
        #include <torch/extension.h>
        torch::Tensor twice_plus(torch::Tensor x) {
          TORCH_CHECK(x.is_contiguous(), "x must be contiguous");
          auto out = torch::empty_like(x);
          const float* in = x.data_ptr<float>();
          float* o = out.data_ptr<float>();
          for (int64_t i = 0; i < x.numel(); ++i) o[i] = 2.0f * in[i] + ADDEND;
          return out;
        }
        """;

    // Tensor arithmetic needs ATen's operators, which the light header leaves out: compiled as written instead.
    private const string HeavyKernel = """
        #include <torch/extension.h>
        torch::Tensor twice_plus(torch::Tensor x) { return torch::add(x * 2.0, 1.0); }
        """;

    private string _root = null!;
    private string _sources = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("kbh-cc-test-").FullName;
        _sources = Directory.CreateTempSubdirectory("kbh-cc-src-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_sources, recursive: true);
    }

    [Test]
    public async Task Build_KernelLightBindingsPrecompiled_SecondBuildTakesBindingsObjectFromCache()
    {
        var pch = new Dictionary<string, string> { ["KBH_CC_PCH"] = "1" };
        var first = await BuildAsync("a", LightKernel.Replace("ADDEND", "1.0f"), Bindings, expected: 3.0, pch);
        var second = await BuildAsync("b", LightKernel.Replace("ADDEND", "(0.5f + 0.5f)"), Bindings, expected: 3.0, pch);

        Assert.That(Modes(first), Is.EqualTo(new Dictionary<string, string> { ["kernel.cpp"] = "light", ["bind.cpp"] = "pch" }));
        Assert.That(Modes(second), Is.EqualTo(new Dictionary<string, string> { ["kernel.cpp"] = "light", ["bind.cpp"] = "object-cache" }),
            "another kernel with the same bindings compiles only the kernel");
        Assert.That(new BuildCache(_root).Info(), Has.Property(nameof(BuildCacheInfo.Entries)).EqualTo(2)
            .And.Property(nameof(BuildCacheInfo.Objects)).EqualTo(3));
    }

    [Test]
    public async Task Build_KernelNeedsMoreThanLightHeader_CompiledAsWritten()
    {
        var stats = await BuildAsync("heavy", HeavyKernel, Bindings, expected: 3.0);

        Assert.That(Modes(stats), Is.EqualTo(new Dictionary<string, string> { ["kernel.cpp"] = "plain-after-light", ["bind.cpp"] = "plain" }),
            "no precompiled header unless asked for");
    }

    [Test]
    public async Task Build_CompileError_ReportedFromThePlainBuildAsWritten()
    {
        var broken = LightKernel.Replace("ADDEND", "1.0f").Replace("return out;", "return out +;");

        var (exitCode, _, stderr) = await RunDriverAsync("broken", broken, Bindings);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(stderr, Does.Contain("kernel.cpp:").And.Contain("error"), "the compiler's words about the file as written");
        Assert.That(stderr, Does.Not.Contain("kbh-light").And.Not.Contain("kbh_torch_light"), "nothing of the light attempt");
        Assert.That(new BuildCache(_root).Info().Entries, Is.Zero);
    }

    [Test]
    public async Task Build_LauncherTurnedOff_PlainTorchBuild()
    {
        var stats = await BuildAsync("off", LightKernel.Replace("ADDEND", "1.0f"), Bindings, expected: 3.0,
            environment: new() { ["KBH_FAST_BUILDS"] = "0" });

        Assert.That(stats.GetProperty("entries")[0].GetProperty("objects").GetArrayLength(), Is.Zero);
        Assert.That(new BuildCache(_root).Info().Objects, Is.Zero);
    }

    private static Dictionary<string, string> Modes(JsonElement stats) =>
        stats.GetProperty("entries")[0].GetProperty("objects").EnumerateArray()
            .ToDictionary(o => o.GetProperty("file").GetString()!, o => o.GetProperty("mode").GetString()!);

    private async Task<JsonElement> BuildAsync(string tag, string kernel, string bindings, double expected, Dictionary<string, string>? environment = null)
    {
        var (exitCode, stdout, stderr) = await RunDriverAsync(tag, kernel, bindings, environment);
        Assert.That(exitCode, Is.Zero, stderr);
        var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.That(result.GetProperty("out").EnumerateArray().Select(v => v.GetDouble()), Is.All.EqualTo(expected), "the built extension computes 2x+1");
        return result.GetProperty("stats");
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunDriverAsync(string tag, string kernel, string bindings, Dictionary<string, string>? environment = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_sources, tag)).FullName;
        File.WriteAllText(Path.Combine(folder, "kernel.cpp"), kernel);
        File.WriteAllText(Path.Combine(folder, "bind.cpp"), bindings);
        var script = Path.Combine(folder, "driver.py");
        File.WriteAllText(script, """
            import json, os, sys
            sys.path.insert(0, sys.argv[1])
            import kbh_build_cache
            kbh_build_cache.install(sys.argv[2])
            import torch
            import torch.utils.cpp_extension as cpp
            folder = sys.argv[3]
            m = cpp.load(name="kbh_cc_test", sources=[os.path.join(folder, "kernel.cpp"), os.path.join(folder, "bind.cpp")])
            print(json.dumps({"stats": kbh_build_cache.stats(), "out": m.twice_plus(torch.ones(4)).tolist()}))
            """);
        var info = new ProcessStartInfo(CacheDriver.Python(), [script, Path.Combine(Paths.RepoRoot, "harness", "worker"), _root, folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["TORCH_EXTENSIONS_DIR"] = Path.Combine(folder, "ext");
        foreach (var (k, v) in environment ?? [])
            info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
