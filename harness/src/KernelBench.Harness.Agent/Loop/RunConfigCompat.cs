using System.Text.Json.Nodes;
using KernelBench.Harness.Config;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>Reads config.json files written before the device moved into the eval settings, so older runs resume on their device.</summary>
internal static class RunConfigCompat
{
    public static RunConfig Upgrade(RunConfig config, string json)
    {
        var root = JsonNode.Parse(json) as JsonObject;
        if (root?["device"] is JsonValue device && device.TryGetValue<string>(out var text)
            && (root["eval"] as JsonObject)?.ContainsKey("device") != true)
            return config with { Eval = config.Eval with { Device = text } };
        return config;
    }
}
