using BenchmarkDotNet.Attributes;
using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Benchmarks.Store;

/// <summary>
/// Verdict writing and reading: every attempt is appended and fsync'd before the next starts, and resume and reports
/// read the whole log back. Target: appending stays far below the cost of judging a candidate (~1 s), reading 10k
/// attempts well under a second.
/// </summary>
[MemoryDiagnoser]
public class RunStoreBenchmarks
{
    private string _folder = "";
    private RunStore _store = null!;
    private AttemptRecord _attempt = null!;

    [Params(1_000, 10_000)]
    public int Attempts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "kbh-bench-" + Guid.NewGuid().ToString("N"));
        _store = RunStore.Create(_folder, new RunManifest { RunId = "bench", Kind = "eval" });
        _attempt = new AttemptRecord
        {
            ProblemKey = "L1/19", Level = 1, ProblemId = 19, ProblemName = "ReLU", Status = "correct",
            Code = new string('x', 4000), Response = new string('y', 20000),
            Verdict = new Verdict
            {
                Status = VerdictStatus.Correct, Speedup = 1.2, MaxAbsDiff = 1e-6,
                Runtime = new TimingSummary { MeanMs = 1.0, MedianMs = 1.0, Trials = 100 },
                Settings = new EvalSettings(), Environment = new EnvironmentInfo { GpuName = "NVIDIA H100 80GB HBM3" },
            },
        };
        for (var i = 0; i < Attempts; i++)
            _store.Append(_attempt with { Index = i });
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public void AppendOne() => _store.Append(_attempt with { Index = -1 });

    [Benchmark]
    public int ReadAll() => _store.ReadAttempts().Attempts.Count;
}
