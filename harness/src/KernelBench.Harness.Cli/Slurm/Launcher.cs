namespace KernelBench.Harness.Cli.Slurm;

/// <summary>How a compute node starts this same kbh: the self-contained binary itself, or `dotnet kbh.dll` for a framework build.</summary>
public static class Launcher
{
    public static string Default()
    {
        var process = Environment.ProcessPath ?? "kbh";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"dotnet {SlurmScripts.Quote(Path.Combine(AppContext.BaseDirectory, "kbh.dll"))}"
            : SlurmScripts.Quote(process);
    }
}
