using System.Text.Json;
using System.Text.Json.Nodes;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Scoring.Cache;

/// <summary>
/// Build records: for a candidate source whose every extension was once loaded from the build cache, the cache keys
/// it loaded and what the worker computed those keys from besides the sources (its build environment: torch, CUDA, GPU
/// architecture, Python ABI, the compiler). A later run skips the build stage of a candidate whose record still holds,
/// so no build worker starts for it (the check worker loads the same entries, as after any build) and a warm rerun
/// starts no process but the check workers. A record holds while this run's workers report the same build environment
/// and every entry it names is finished; anything else and the candidate is built as usual. Kept in the build cache's
/// <see cref="BuildCache.RecordsFolder"/>, so `kbh cache clear` drops them with the entries.
/// </summary>
public sealed class CandidateBuildRecords(string buildsRoot)
{
    private readonly string _buildsRoot = Path.GetFullPath(buildsRoot);
    private readonly TaskCompletionSource<JsonNode> _workersEnvironment = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string Folder => Path.Combine(_buildsRoot, BuildCache.RecordsFolder);

    /// <summary>The records of the cache the workers of <paramref name="options"/> build into.</summary>
    public static CandidateBuildRecords For(WorkerOptions options) =>
        new(Path.Combine(options.CacheFolder, "builds"));

    /// <summary>Takes a started worker's build environment (its hello's build_env); every worker of a run has the same.</summary>
    public void Observe(JsonElement hello)
    {
        if (hello.ValueKind == JsonValueKind.Object && hello.TryGetProperty("build_env", out var env) && env.ValueKind == JsonValueKind.Object)
            _workersEnvironment.TrySetResult(JsonNode.Parse(env.GetRawText())!);
    }

    /// <summary>Keeps what a build or load job reported, when it names its cache keys (every extension was a hit).</summary>
    public void Put(string sourceSha, WorkerReply reply)
    {
        if (reply.Body.ValueKind != JsonValueKind.Object || !reply.Body.TryGetProperty("cache_keys", out var keys)
            || keys.ValueKind != JsonValueKind.Array || !reply.Body.TryGetProperty("build_env", out var env)
            || env.ValueKind != JsonValueKind.Object)
            return;
        var text = new JsonObject
        {
            ["source_sha256"] = sourceSha,
            ["build_env"] = JsonNode.Parse(env.GetRawText()),
            ["cache_keys"] = JsonNode.Parse(keys.GetRawText()),
        }.ToJsonString();
        var path = PathOf(sourceSha);
        try
        {
            if (File.Exists(path) && File.ReadAllText(path) == text)
                return;
            Directory.CreateDirectory(Folder);
            AtomicFile.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a record is only ever a shortcut: without it the candidate is built as usual
        }
    }

    /// <summary>
    /// True when this source's record holds, so its build can be skipped. Without a record: false at once. With one:
    /// first waits (at most <paramref name="wait"/>) for a worker of this run to report its build environment.
    /// </summary>
    public async Task<bool> CoversAsync(string sourceSha, TimeSpan wait, CancellationToken cancellationToken)
    {
        JsonObject? record;
        try
        {
            record = JsonNode.Parse(await File.ReadAllTextAsync(PathOf(sourceSha), cancellationToken)) as JsonObject;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return false;
        }
        if (record is null || Str(record["source_sha256"]) != sourceSha || record["cache_keys"] is not JsonArray keys)
            return false;
        JsonNode current;
        try
        {
            current = await _workersEnvironment.Task.WaitAsync(wait, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false; // no worker said what it builds with: build as usual
        }
        return JsonNode.DeepEquals(record["build_env"], current)
               && keys.All(k => Str(k) is { Length: > 0 } key && !key.Contains('/') && !key.Contains("..", StringComparison.Ordinal)
                                && File.Exists(Path.Combine(_buildsRoot, key, BuildCache.MarkerFile)));
    }

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private string PathOf(string sourceSha) => Path.Combine(Folder, sourceSha[..Math.Min(32, sourceSha.Length)] + ".json");
}
