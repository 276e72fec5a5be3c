using BenchmarkDotNet.Attributes;
using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Benchmarks.Problems;

/// <summary>Loading and hashing a KernelBench checkout (270 files); set KBH_KERNELBENCH to its folder.</summary>
[MemoryDiagnoser]
public class ProblemLoaderBenchmarks
{
    private readonly string _root = Environment.GetEnvironmentVariable("KBH_KERNELBENCH") ?? "../shared/kernelbench";

    [Benchmark]
    public int LoadAll() => ProblemLoader.Load(_root).Problems.Count;
}
