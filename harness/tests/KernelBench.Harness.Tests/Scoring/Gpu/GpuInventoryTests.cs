using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using KernelBench.Harness.Scoring.Gpu;

namespace KernelBench.Harness.Tests.Scoring.Gpu;

/// <summary>Real calls into whatever this machine has: the no-driver path here, real values on a GPU node.</summary>
[TestFixture]
public class GpuInventoryTests
{
    private static bool DriverPresent()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var handle))
            return false;
        NativeLibrary.Free(handle);
        return true;
    }

    [Test]
    public void Discover_NoCudaDriver_ReasonAndNoGpus()
    {
        if (DriverPresent())
            Assert.Ignore("this machine has libcuda.so.1; the no-driver path is tested on machines without one");

        var result = GpuInventory.Discover();

        Assert.That(result.Gpus, Is.Empty);
        Assert.That(result.HasGpu, Is.False);
        Assert.That(result.Reason, Is.EqualTo("no CUDA driver (libcuda.so.1 not found)"));
    }

    [Test]
    public void Discover_WithGpu_RealValues()
    {
        var result = GpuInventory.Discover();
        if (!result.HasGpu)
            Assert.Ignore($"no GPU here: {result.Reason}");

        var gpu = result.Gpus[0];
        Assert.That(gpu.Index, Is.Zero);
        Assert.That(gpu.Name, Is.Not.Empty.And.Not.EqualTo("unknown"));
        Assert.That(gpu.Uuid, Does.Match("^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
        Assert.That(gpu.SmCount, Is.GreaterThan(0));
        Assert.That(gpu.TotalMemoryBytes, Is.GreaterThan(1L << 30));
        Assert.That(gpu.ComputeCapability, Does.Match(@"^\d+\.\d+$"));
        Assert.That(gpu.L2CacheBytes, Is.GreaterThan(0));
        Assert.That(result.CudaDriverVersion, Does.Match(@"^\d+\.\d+$"));
        if (result.DriverVersion is not null)
            Assert.That(Regex.IsMatch(result.DriverVersion, @"^\d+\.\d+"), result.DriverVersion);
    }

    [TestCase(13000, "13.0")]
    [TestCase(12040, "12.4")]
    [TestCase(11080, "11.8")]
    public void FormatCudaVersion_DriverInteger_MajorDotMinor(int version, string expected) =>
        Assert.That(GpuInventory.FormatCudaVersion(version), Is.EqualTo(expected));
}
