using System.Diagnostics;

namespace KernelBench.Harness.Scoring.Devices;

/// <summary>
/// How many GPUs this process may use, without loading CUDA: CUDA_VISIBLE_DEVICES when set (as Slurm sets it for a
/// --gres allocation), else `nvidia-smi -L`. Null when neither says: the run then keeps to the one default device.
/// </summary>
public static class GpuCount
{
    public static int? Visible()
    {
        if (Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { } visible)
            return visible.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", "-L") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var lines = process.StandardOutput.ReadToEnd().Split('\n');
            process.WaitForExit();
            return process.ExitCode == 0 ? lines.Count(l => l.StartsWith("GPU ", StringComparison.Ordinal)) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no nvidia-smi here
        }
    }
}
