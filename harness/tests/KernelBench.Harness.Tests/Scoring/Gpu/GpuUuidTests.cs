using KernelBench.Harness.Scoring.Gpu;

namespace KernelBench.Harness.Tests.Scoring.Gpu;

[TestFixture]
public class GpuUuidTests
{
    [Test]
    public void Format_SixteenBytes_NvidiaSmiForm()
    {
        byte[] bytes = [0x5a, 0x3e, 0x1f, 0x0c, 0x77, 0x81, 0x2b, 0x9d, 0xa0, 0x04, 0x6e, 0xf1, 0x23, 0x45, 0x67, 0x89];

        Assert.That(GpuUuid.Format(bytes), Is.EqualTo("GPU-5a3e1f0c-7781-2b9d-a004-6ef123456789"));
    }

    [Test]
    public void Format_WrongLength_Throws() =>
        Assert.Throws<ArgumentException>(() => GpuUuid.Format(new byte[15]));
}
