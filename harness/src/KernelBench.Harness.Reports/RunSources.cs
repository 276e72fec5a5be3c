using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports;

/// <summary>Decides what a path given to `kbh report` holds: a harness run folder, or KernelBench's eval_results.json.</summary>
public static class RunSources
{
    public static RunData Read(string path)
    {
        if (File.Exists(path))
            throw new ReportInputException($"{path}: expected a run folder, not a file.");
        return RunFolderReader.Read(path);
    }
}
