using System.Text.Json.Serialization;

namespace KernelBench.Harness.Scoring.Cache;

/// <summary>Source-generated JSON for `kbh cache info --format json` (works in a trimmed single-file build).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BuildCacheInfo))]
public sealed partial class BuildCacheJsonContext : JsonSerializerContext;
