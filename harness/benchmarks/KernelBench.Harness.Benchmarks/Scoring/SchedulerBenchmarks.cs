using BenchmarkDotNet.Attributes;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Benchmarks.Scoring;

/// <summary>
/// The scheduler's own cost: candidates of many problems dispatched through <see cref="MultiDeviceVerifier"/> (pin a
/// problem to a lane, queue on it, tag the verdict) to verifiers that answer at once, so only the dispatch is timed.
/// Target: microseconds per candidate, invisible beside the ~1 s a real check takes.
/// </summary>
[MemoryDiagnoser]
public class SchedulerBenchmarks
{
    private const int Candidates = 1_000;
    private Problem[] _problems = [];

    [Params(1, 8)]
    public int Lanes { get; set; }

    [GlobalSetup]
    public void Setup() => _problems = Enumerable.Range(1, 100)
        .Select(i => new Problem(1 + i % 3, i, "P", $"{i}_P.py", "", "", []))
        .ToArray();

    [Benchmark(Description = "1000 candidates over 100 problems")]
    public async Task<int> Dispatch()
    {
        var devices = Enumerable.Range(0, Lanes).Select(i => new GpuDevice($"cuda:{i}", i)).ToList();
        using var verifier = new MultiDeviceVerifier(devices, _ => new Instant(), workersPerDevice: 1);
        var verdicts = await Task.WhenAll(Enumerable.Range(0, Candidates)
            .Select(i => verifier.VerifyAsync(_problems[i % _problems.Length], "source", CancellationToken.None)));
        return verdicts.Length;
    }

    private sealed class Instant : IVerifier
    {
        private static readonly Verdict Correct = new() { Status = VerdictStatus.Correct, Speedup = 1.0 };

        public Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken) => Task.FromResult(Correct);
    }
}
