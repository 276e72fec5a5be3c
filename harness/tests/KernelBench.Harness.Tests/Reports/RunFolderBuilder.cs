using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Tests.Reports;

/// <summary>Writes real run folders through RunStore, with attempts whose numbers the tests work out by hand.</summary>
public sealed class RunFolderBuilder
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly RunStore _store;

    public RunFolderBuilder(string folder, RunManifest manifest) => _store = RunStore.Create(folder, manifest);

    public string Folder => _store.Folder;

    /// <summary>Appends a record as it is (prompts, code, tokens: what Attempt does not set).</summary>
    public RunFolderBuilder Append(AttemptRecord record)
    {
        _store.Append(record);
        return this;
    }

    public static RunManifest Manifest(string runId = "test-run", IReadOnlyList<string>? keys = null, double? minutes = null, string gpu = "NVIDIA H100") => new()
    {
        RunId = runId,
        Kind = "run",
        CreatedAt = T0,
        HarnessVersion = "0.1.0",
        ProblemSetHash = "abc123",
        ProblemKeys = keys ?? [],
        Model = "deepseek-r1",
        Strategy = "sequential",
        Budget = minutes is null ? "" : $"{minutes} min",
        BudgetMinutes = minutes,
        Gpu = gpu,
        EvalSettings = new EvalSettings { Atol = 1e-2, Rtol = 1e-2, PerfTrials = 100, TimingMethod = "cuda_event", Device = "cuda" },
    };

    /// <summary>Appends one attempt; startMinute orders attempts within a problem (waits are not charged).</summary>
    public RunFolderBuilder Attempt(int level, int id, int index, string status, double charged, double startMinute,
        (double Mean, double Lo, double Hi)? cand = null, (double Mean, double Lo, double Hi)? reference = null, double wait = 0, int chain = 0, double? clock = null,
        IReadOnlyList<string>? flags = null, string? model = null, string? name = null)
    {
        Verdict? verdict = null;
        if (Enum.TryParse<VerdictStatus>(status.Replace("_", ""), ignoreCase: true, out var vs))
            verdict = new Verdict
            {
                Status = vs,
                Level = level,
                ProblemId = id,
                Runtime = cand is { } c ? Timing(c) : null,
                RefRuntime = reference is { } r ? Timing(r) : null,
                Flags = flags ?? [],
            };
        _store.Append(new AttemptRecord
        {
            ProblemKey = $"L{level}/{id}",
            Level = level,
            ProblemId = id,
            ProblemName = name ?? $"{id}_Problem",
            ProblemSha256 = $"sha{level}{id}",
            Chain = chain,
            Index = index,
            Status = status,
            BudgetSecondsAtEnd = clock,
            StartedAt = T0.AddMinutes(startMinute),
            EndedAt = T0.AddMinutes(startMinute).AddSeconds(charged + wait),
            ChargedSeconds = charged,
            WaitSeconds = wait,
            Verdict = verdict,
            Model = model,
        });
        return this;
    }

    private static TimingSummary Timing((double Mean, double Lo, double Hi) t) =>
        new() { MeanMs = t.Mean, MedianMs = t.Mean, MinMs = t.Lo, MaxMs = t.Hi, CiLowerMs = t.Lo, CiUpperMs = t.Hi, Trials = 100 };

    /// <summary>
    /// The worked example used across the report tests (numbers in the test that checks them):
    /// L1/1 compile_error 60 s then correct 90 s at 2.0x (lower 1.9/1.1); L1/2 correct 30 s at 0.5x (lower 0.9/2.2);
    /// L1/3 incorrect 100 s (+500 s waiting) then correct 200 s at 1.2x (lower 1.0/1.1); L2/1 runtime_error 45 s; L2/2 never attempted.
    /// </summary>
    public static string WorkedExample(string folder)
    {
        var b = new RunFolderBuilder(folder, Manifest(keys: ["L1/1", "L1/2", "L1/3", "L2/1", "L2/2"], minutes: 5));
        // Appended out of order on purpose: the timeline is ordered by start time, not by file order.
        b.Attempt(1, 1, 1, "correct", 90, 1, cand: (1.0, 0.9, 1.1), reference: (2.0, 1.9, 2.1))
         .Attempt(1, 1, 0, "compile_error", 60, 0)
         .Attempt(1, 2, 0, "correct", 30, 0, cand: (2.0, 1.8, 2.2), reference: (1.0, 0.9, 1.1))
         .Attempt(1, 3, 0, "incorrect", 100, 0, cand: (1.0, 0.9, 1.1), reference: (1.2, 1.0, 1.4), wait: 500)
         .Attempt(1, 3, 1, "correct", 200, 10, cand: (1.0, 0.9, 1.1), reference: (1.2, 1.0, 1.4))
         .Attempt(2, 1, 0, "runtime_error", 45, 0);
        return b.Folder;
    }
}
