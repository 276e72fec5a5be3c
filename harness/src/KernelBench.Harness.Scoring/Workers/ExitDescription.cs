namespace KernelBench.Harness.Scoring.Workers;

/// <summary>Says how a worker ended, naming the signal when it was killed by one (exit code 128 + signal on Unix).</summary>
public static class ExitDescription
{
    private static readonly Dictionary<int, string> Signals = new()
    {
        [4] = "SIGILL", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [11] = "SIGSEGV", [15] = "SIGTERM",
    };

    public static string Describe(int exitCode)
    {
        if (exitCode > 128 && Signals.TryGetValue(exitCode - 128, out var name))
            return $"the worker died: killed by signal {exitCode - 128} ({name})";
        if (exitCode < 0 && Signals.TryGetValue(-exitCode, out var neg))
            return $"the worker died: killed by signal {-exitCode} ({neg})";
        return $"the worker died with exit code {exitCode}";
    }
}
