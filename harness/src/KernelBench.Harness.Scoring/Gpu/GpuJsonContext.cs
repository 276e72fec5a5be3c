using System.Text.Json.Serialization;

namespace KernelBench.Harness.Scoring.Gpu;

/// <summary>
/// Source-generated JSON for `kbh gpus --format json`: a trimmed single-file build has no reflection-based
/// serializer, and this command is the first thing run on a fresh GPU node.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(GpuInventoryResult))]
public sealed partial class GpuJsonContext : JsonSerializerContext;
