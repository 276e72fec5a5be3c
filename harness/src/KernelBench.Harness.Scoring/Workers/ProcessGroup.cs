using System.Runtime.InteropServices;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>Signals a whole process group: the worker makes itself a group leader, so its pid is the group id.</summary>
internal static class ProcessGroup
{
    private const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int sig);

    public static void Kill(int leaderPid)
    {
        if (OperatingSystem.IsWindows() || leaderPid <= 1)
            return;
        SysKill(-leaderPid, SigKill);
    }
}
