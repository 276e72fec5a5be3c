using System.Text.Json;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>What a worker's start-up message says: the environment for verdicts, and whether the asked device is there.</summary>
public static class WorkerHello
{
    public static void CheckDevice(JsonElement hello, string device)
    {
        if (!device.StartsWith("cuda", StringComparison.Ordinal))
            return;
        var index = device.Contains(':') ? int.Parse(device[(device.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var count = hello.TryGetProperty("cuda_device_count", out var c) ? c.GetInt32() : 0;
        if (index >= count)
            throw new BadInputException($"device {device} is not there: the worker's PyTorch sees {count} CUDA device(s)"
                                        + (count == 0 ? " (a CPU-only build, or no GPU on this machine); use --device cpu." : "."));
    }

    public static EnvironmentInfo Describe(JsonElement hello, string device, string harnessVersion)
    {
        string Str(JsonElement e, string n) => e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var info = new EnvironmentInfo
        {
            TorchVersion = Str(hello, "torch_version"), PythonVersion = Str(hello, "python_version"),
            CudaVersion = Str(hello, "cuda_version"), Driver = Str(hello, "driver"), HarnessVersion = harnessVersion, Hostname = System.Environment.MachineName,
        };
        if (!device.StartsWith("cuda", StringComparison.Ordinal) || !hello.TryGetProperty("gpus", out var gpus))
            return info;
        var index = device.Contains(':') ? int.Parse(device[(device.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var list = gpus.EnumerateArray().ToList();
        return index < list.Count ? info with { GpuIndex = index, GpuName = Str(list[index], "name"), GpuUuid = Str(list[index], "uuid") } : info;
    }
}
