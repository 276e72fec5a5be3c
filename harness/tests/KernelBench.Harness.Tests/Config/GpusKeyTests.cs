using KernelBench.Harness.Config;

namespace KernelBench.Harness.Tests.Config;

/// <summary>The `gpus:` key: which GPUs of the node a `device: cuda` run uses.</summary>
public sealed class GpusKeyTests
{
    private static RunConfig Parse(string device, string gpus) => RunConfigLoader.Parse($"""
        kernelbench: kb
        problems: {"{"} level: 1 {"}"}
        model: {"{"} base_url: "http://127.0.0.1:8000/v1", name: r1 {"}"}
        budget: {"{"} attempts: 1 {"}"}
        device: {device}
        {gpus}
        out: out
        """, "run.yaml", "/base");

    [Test]
    public void Parse_GpusWithCuda_Ordinals() => Assert.That(Parse("cuda", "gpus: [0, 2]").Gpus, Is.EqualTo(new[] { 0, 2 }));

    [Test]
    public void Parse_NoGpus_NullMeansEveryVisibleGpu() => Assert.That(Parse("cuda", "").Gpus, Is.Null);

    [Test]
    public void Parse_GpusWithCpu_RefusedNamingLine()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("cpu", "gpus: [0]"));
        Assert.That(e!.Message, Does.Contain("run.yaml:6").And.Contain("device: cuda"));
    }

    [Test]
    public void Parse_EmptyGpus_Refused() =>
        Assert.That(() => Parse("cuda", "gpus: []"), Throws.TypeOf<ConfigException>().With.Message.Contains("'gpus' is empty"));
}
