using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Devices;

namespace KernelBench.Harness.Tests.Scoring.Devices;

public sealed class DeviceListTests
{
    [Test]
    public void Resolve_Cpu_OneCpuWorker() =>
        Assert.That(DeviceList.Resolve("cpu", null, null, 0), Is.EqualTo(new[] { GpuDevice.Cpu }));

    [Test]
    public void Resolve_CudaAllVisible_OneWorkerPerGpu() =>
        Assert.That(DeviceList.Resolve("cuda", null, null, 3).Select(d => d.Label), Is.EqualTo(new[] { "cuda:0", "cuda:1", "cuda:2" }));

    [Test]
    public void Resolve_GpusKey_OnlyThoseOrdinals() =>
        Assert.That(DeviceList.Resolve("cuda", [0, 2], null, 4), Is.EqualTo(new[] { new GpuDevice("cuda:0", 0), new GpuDevice("cuda:2", 2) }));

    [Test]
    public void Resolve_CudaVisibleDevices_PhysicalIndexRecorded() =>
        Assert.That(DeviceList.Resolve("cuda", null, "2,3", 2), Is.EqualTo(new[] { new GpuDevice("cuda:0", 2), new GpuDevice("cuda:1", 3) }));

    [Test]
    public void Resolve_SameOrdinalTwice_TwoWorkersOnOneGpu() =>
        Assert.That(DeviceList.Resolve("cuda", [0, 0], null, 1).Select(d => d.Label), Is.EqualTo(new[] { "cuda:0", "cuda:0" }));

    [Test]
    public void Resolve_SingleCudaDevice_ThatOne() =>
        Assert.That(DeviceList.Resolve("cuda:1", null, null, 2), Is.EqualTo(new[] { new GpuDevice("cuda:1", 1) }));

    [Test]
    public void Resolve_InvisibleOrdinal_RefusedNamingWhatIsVisible()
    {
        var e = Assert.Throws<BadInputException>(() => DeviceList.Resolve("cuda", [0, 3], null, 2));
        Assert.That(e!.Message, Does.Contain("GPU 3").And.Contain("2 GPU(s)"));
    }

    [Test]
    public void Resolve_NoGpuVisible_RefusedSuggestingCpu() =>
        Assert.That(() => DeviceList.Resolve("cuda", null, "", 0), Throws.TypeOf<BadInputException>().With.Message.Contains("device: cpu"));
}
