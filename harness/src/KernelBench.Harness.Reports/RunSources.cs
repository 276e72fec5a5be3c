using KernelBench.Harness.Reports.KernelBenchImport;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports;

/// <summary>
/// Decides what a path given to `kbh report` holds: a harness run folder (run.json / attempts.jsonl), KernelBench's
/// eval_results.json (the file, or a folder holding it and no harness run). A folder with none of these is refused before
/// anything is written: a "0 problems, 0.0%" report of nothing would read as a real result.
/// </summary>
public static class RunSources
{
    public static RunData Read(string path, ImportOptions? import = null)
    {
        if (File.Exists(path))
        {
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                return EvalResultsImporter.Read(path, import);
            throw new ReportInputException($"{path}: expected a run folder or a KernelBench eval_results.json, not this file.");
        }
        var evalResults = Path.Combine(path, EvalResultsImporter.FileName);
        var isHarnessRun = File.Exists(Path.Combine(path, Store.RunStore.ManifestFile))
            || File.Exists(Path.Combine(path, Store.RunStore.AttemptsFile));
        if (!isHarnessRun && File.Exists(evalResults))
            return EvalResultsImporter.Read(evalResults, import);
        if (Directory.Exists(path) && !isHarnessRun)
            throw new ReportInputException($"{path}: not a run folder: no {Store.RunStore.ManifestFile}, {Store.RunStore.AttemptsFile} or " +
                                           $"{EvalResultsImporter.FileName} in it; no report written.");
        return RunFolderReader.Read(path);
    }
}
