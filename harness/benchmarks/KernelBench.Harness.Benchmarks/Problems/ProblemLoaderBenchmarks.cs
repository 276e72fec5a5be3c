using BenchmarkDotNet.Attributes;
using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Benchmarks.Problems;

/// <summary>
/// Loading and hashing a KernelBench checkout (270 files), found as the tests find it (docs/testing.md): $KBH_KERNELBENCH,
/// else .kbh/kernelbench, else ../shared/kernelbench (run from the repository root).
/// </summary>
[MemoryDiagnoser]
public class ProblemLoaderBenchmarks
{
    private readonly string _root = Environment.GetEnvironmentVariable("KBH_KERNELBENCH") is { Length: > 0 } env ? env
        : Directory.Exists(Path.Combine(".kbh", "kernelbench", "KernelBench")) ? Path.Combine(".kbh", "kernelbench")
        : Path.Combine("..", "shared", "kernelbench");

    [Benchmark]
    public int LoadAll() => ProblemLoader.Load(_root).Problems.Count;
}
