using System.Text.Json;
using KernelBench.Harness.Cli;
using KernelBench.Harness.Scoring.Gpu;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Cli.Commands.Gpus;

[TestFixture]
public class GpusCommandTests
{
    [Test]
    public async Task Run_Table_ExitsZeroWithGpusOrCpuOnlyReason()
    {
        var console = new TestConsole { Profile = { Width = 200 } };

        var code = await KbhApp.RunAsync(["gpus"], console);

        Assert.That(code, Is.Zero);
        var found = GpuInventory.Discover();
        if (found.HasGpu)
            Assert.That(console.Output, Does.Contain(found.Gpus[0].Uuid));
        else
            Assert.That(console.Output.Trim(), Is.EqualTo($"{found.Reason}; CPU only"));
    }

    [Test]
    public async Task Run_Json_ParsesWithReasonOrGpus()
    {
        var console = new TestConsole();

        var code = await KbhApp.RunAsync(["gpus", "--format", "json"], console);

        var json = JsonDocument.Parse(console.Output).RootElement;
        Assert.That(code, Is.Zero);
        Assert.That(json.GetProperty("gpus").GetArrayLength() > 0 || json.GetProperty("reason").GetString()!.Length > 0);
    }

    [Test]
    public async Task Run_BadFormat_ExitsTwo() =>
        Assert.That(await KbhApp.RunAsync(["gpus", "--format", "xml"], new TestConsole()), Is.EqualTo(2));
}
