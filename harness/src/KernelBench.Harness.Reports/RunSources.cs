using KernelBench.Harness.Reports.KernelBenchImport;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports;

/// <summary>
/// Decides what a path given to `kbh report` holds: a harness run folder (run.json / attempts.jsonl), KernelBench's
/// eval_results.json (the file, or a folder holding it and no harness run), or an empty folder (an empty partial report).
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
        return RunFolderReader.Read(path);
    }
}
