using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Config;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Models;

public sealed class ModelCatalogTests
{
    [Test]
    public async Task ListAsync_Endpoint_ReturnsServedModelsSorted()
    {
        await using var server = new ScriptedModelServer { Models = ["deepseek-ai/deepseek-r1-distill-qwen-32b", "deepseek-ai/deepseek-r1"] };
        var served = await ModelCatalog.ListAsync(new ModelSettings { Name = "x", BaseUrl = server.BaseUrl }, "sk-abc", CancellationToken.None);
        Assert.That(served, Is.EqualTo(new[] { "deepseek-ai/deepseek-r1", "deepseek-ai/deepseek-r1-distill-qwen-32b" }));
        Assert.That(server.Requests.Single().Path, Is.EqualTo("/v1/models"));
    }

    [Test]
    public async Task ListAsync_NothingListening_ClearError()
    {
        var port = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        port.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}/v1";
        port.Stop();
        var e = await Assert.ThrowsAsync<ModelEndpointException>(() => ModelCatalog.ListAsync(new ModelSettings { Name = "x", BaseUrl = url }, null, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain(url).And.Contain("base_url"));
    }
}
