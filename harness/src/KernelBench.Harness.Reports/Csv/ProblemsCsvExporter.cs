using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Model;
using static KernelBench.Harness.Reports.Csv.CsvCells;

namespace KernelBench.Harness.Reports.Csv;

/// <summary>
/// problems.csv, one row per problem, columns in this order:
/// level, id, name, problem_sha256, best_status (correct … no_code, or not_attempted), attempts,
/// seconds_to_first_correct and attempts_to_first_correct (budget axis of <see cref="TimedAttempt"/>),
/// best_runtime_ms and ref_runtime_ms (means, of the best attempt), speedup (point, ref/candidate),
/// speedup_lower95 (best lower bound among correct attempts: ref CI lower / candidate CI upper),
/// ref_runtime_compile_ms and speedup_compile (against the torch.compile'd reference, empty unless
/// `kbh report --compile-baseline FILE` gave its times), flags (';'-joined).
/// </summary>
public sealed class ProblemsCsvExporter : IReportExporter
{
    public const string FileName = "problems.csv";

    public static readonly IReadOnlyList<string> Header =
    [
        "level", "id", "name", "problem_sha256", "best_status", "attempts", "seconds_to_first_correct",
        "attempts_to_first_correct", "best_runtime_ms", "ref_runtime_ms", "speedup", "speedup_lower95",
        "ref_runtime_compile_ms", "speedup_compile", "flags",
    ];

    public string Name => "problems.csv";

    public IReadOnlyList<string> Export(ReportModel model, string reportFolder)
    {
        var path = Path.Combine(reportFolder, FileName);
        WriteFile(path, Header, model.Problems.Select(r => new[]
        {
            Int(r.Key.Level), Int(r.Key.Id), r.Name, r.Sha256, r.BestStatus, Int(r.Attempts), Number(r.SecondsToFirstCorrect),
            Int(r.AttemptsToFirstCorrect), Number(r.BestRuntimeMs), Number(r.RefRuntimeMs), Number(r.Speedup),
            Number(r.SpeedupLower), Number(r.RefRuntimeCompileMs), Number(r.SpeedupCompile), string.Join(';', r.Flags),
        }));
        return [path];
    }
}
