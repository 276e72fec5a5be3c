using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Problems.Sharding;
using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;
using Spectre.Console;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>
/// `kbh eval --candidates`: judges every candidate of a folder, appending each verdict to the run folder as it lands.
/// A candidate already judged there (same problem, same source SHA-256) is skipped; a bad candidate file is recorded
/// with its message and the others are still judged. With several devices or workers, problems are judged side by side
/// (one problem's candidates in order, on the device it is pinned to); the run folder gets each verdict as it lands.
/// </summary>
internal sealed class EvalBatch(IAnsiConsole console, ProblemSet set, EvalCommand.Settings settings, RunTimeline timeline)
{
    private readonly object _output = new();

    /// <summary>The run folder (a shard's own), once <see cref="RunAsync"/> has opened it.</summary>
    public string? Folder { get; private set; }

    public async Task<int> RunAsync(CheckLanes verifier, CancellationToken ct)
    {
        var candidates = CandidateDiscovery.Find(settings.Candidates!);
        if (candidates.Count == 0)
            throw new BadInputException($"{settings.Candidates}: no candidate files (expected level<N>/<id>.py or level_<L>_problem_<P>_sample_<S>_kernel.py).");
        var shard = settings.Shard is { } text ? Shard.Parse(text) : null;
        var mine = shard is null ? null : ShardSelector.Select(set.Problems, shard).Select(p => p.Key).ToHashSet();
        if (shard is not null)
            // A candidate for a problem the set lacks is recorded (as bad input) by shard 1 only, so merged it is there once.
            candidates = candidates.Where(c => mine!.Contains($"L{c.Level}/{c.ProblemId}")
                                               || (shard.Index == 1 && set.Find(c.Level, c.ProblemId) is null)).ToList();
        var engine = settings.ToEngineOptions("");
        var store = RunStore.OpenOrCreate(shard is null ? settings.RunFolder : Path.Combine(settings.RunFolder, shard.FolderName), new RunManifest
        {
            RunId = Path.GetFileName(Path.GetFullPath(settings.RunFolder).TrimEnd('/')),
            Kind = "eval",
            CreatedAt = DateTimeOffset.UtcNow,
            HarnessVersion = VersionInfo.Describe(),
            KernelBenchRoot = set.Root,
            ProblemSetHash = set.Hash,
            Device = settings.Device,
            EvalSettings = engine.Settings,
            Options = settings.Options,
            ProblemKeys = mine is null ? [] : ShardSelector.Select(mine, new Shard(1, 1)),
            Shard = shard is null ? null : ShardInfo.Of(shard, set.Problems),
        });
        Folder = store.Folder;
        var log = store.ReadAttempts();
        var done = log.Attempts.Where(a => a.Verdict is not null || a.Status == "bad_input")
            .Select(a => (a.ProblemKey, a.CodeSha256)).ToHashSet();
        var perProblem = log.Attempts.GroupBy(a => a.ProblemKey).ToDictionary(g => g.Key, g => g.Count());
        var json = settings.Format == "json";
        int judged = 0, skipped = 0;

        // The longest problems first where an earlier run on this cache timed them, else in the order their first
        // candidate is listed; each problem's candidates stay in order.
        var order = new JudgingOrder(engine.Worker.CacheFolder, settings.Device);
        var byProblem = order.Order(candidates.GroupBy(c => $"L{c.Level}/{c.ProblemId}").ToList(),
            g => (g.Key, set.Find(g.First().Level, g.First().ProblemId)?.Sha256, g.Count()));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = verifier.Lanes, CancellationToken = ct };
        timeline.Mark("judging_started");
        if (verifier.Pipeline is { } pipeline)
            Prebuild(pipeline, byProblem.SelectMany(g => g), done);
        timeline.Mark("builds_queued");

        async Task Each(Action<string> progress)
        {
            await Parallel.ForEachAsync(byProblem, parallel, async (group, token) =>
            {
                foreach (var c in group)
                {
                    token.ThrowIfCancellationRequested();
                    var key = group.Key;
                    lock (_output)
                        progress($"{key} {Path.GetFileName(c.Path)}");
                    var record = await JudgeAsync(verifier, c, key, done, token);
                    lock (_output)
                    {
                        if (record is null)
                        {
                            skipped++;
                            continue;
                        }
                        if (record.Verdict is { } verdict && record.ProblemSha256 is { } problemSha)
                            order.Record(key, problemSha, verdict);
                        perProblem[key] = perProblem.GetValueOrDefault(key) + 1;
                        store.Append(record with { Index = perProblem[key] - 1 });
                        judged++;
                        Report(record, c, json);
                    }
                }
            });
        }

        if (json || !console.Profile.Capabilities.Interactive)
            await Each(_ => { });
        else
            await console.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("judging", maxValue: candidates.Count);
                await Each(label => { task.Description = Markup.Escape(label); task.Increment(1); });
            });
        timeline.Mark("judging_ended");
        order.Save();
        if (verifier.Pipeline is { } built)
        {
            timeline.Count("build_workers_started", built.BuildWorkersStarted);
            timeline.Count("builds_skipped", built.BuildsSkipped);
        }
        if (!json)
            console.MarkupLine($"{judged} judged, {skipped} skipped (already in {Markup.Escape(store.Folder)}).");
        store.MarkFinished(store.ReadAttempts()); // every candidate judged: a shard that `kbh merge` accepts
        return ExitCodes.Success;
    }

    private async Task<AttemptRecord?> JudgeAsync(CheckLanes verifier, CandidateFile c, string key, HashSet<(string, string?)> done, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var problem = set.Find(c.Level, c.ProblemId);
        string source;
        try
        {
            if (problem is null)
                throw new BadInputException($"{c.Path}: no problem with level {c.Level} and id {c.ProblemId} in {settings.KernelBench}.");
            source = CandidateSource.Read(c.Path);
        }
        catch (BadInputException e)
        {
            var sha = File.Exists(c.Path) ? CandidateSource.Sha256(File.ReadAllText(c.Path)) : null;
            if (done.Contains((key, sha)))
                return null;
            return new AttemptRecord
            {
                ProblemKey = key, Level = c.Level, ProblemId = c.ProblemId, Status = "bad_input", Error = e.Message,
                Source = c.Path, CodeSha256 = sha, StartedAt = started, EndedAt = DateTimeOffset.UtcNow,
            };
        }
        var codeSha = CandidateSource.Sha256(source);
        if (done.Contains((key, codeSha)))
            return null;
        var verdict = await verifier.VerifyAsync(problem, source, ct);
        var ended = DateTimeOffset.UtcNow;
        return new AttemptRecord
        {
            ProblemKey = key, Level = c.Level, ProblemId = c.ProblemId, ProblemName = problem.Name, ProblemSha256 = problem.Sha256,
            Status = VerdictOutput.StatusName(verdict.Status), Source = c.Path, Code = source, CodeSha256 = codeSha,
            StartedAt = started, EndedAt = ended, ChargedSeconds = (ended - started).TotalSeconds, Verdict = verdict,
        };
    }

    // Every candidate still to judge starts building now, on the build workers, in the order they will be judged.
    private void Prebuild(PipelinedVerifier pipeline, IEnumerable<CandidateFile> candidates, HashSet<(string, string?)> done)
    {
        foreach (var c in candidates)
        {
            if (set.Find(c.Level, c.ProblemId) is not { } problem)
                continue;
            string source;
            try
            {
                source = CandidateSource.Read(c.Path);
            }
            catch (BadInputException)
            {
                continue; // recorded as bad input when its turn comes
            }
            if (!done.Contains(($"L{c.Level}/{c.ProblemId}", CandidateSource.Sha256(source))))
                pipeline.Prebuild(problem, source);
        }
    }

    private void Report(AttemptRecord record, CandidateFile c, bool json)
    {
        if (json)
        {
            var line = record.Verdict is { } v
                ? VerdictOutput.Json(v, c.Path)
                : new System.Text.Json.Nodes.JsonObject
                {
                    ["level"] = c.Level, ["problem_id"] = c.ProblemId, ["candidate"] = c.Path, ["status"] = "bad_input", ["reason"] = record.Error,
                }.ToJsonString();
            console.Profile.Out.Writer.WriteLine(line);
            return;
        }
        var color = record.Status == "correct" ? "green" : "red";
        var reason = record.Verdict?.Reason ?? record.Error ?? "";
        console.MarkupLine($"[{color}]{record.Status,-13}[/] {Markup.Escape(record.ProblemKey)} {Markup.Escape(Path.GetFileName(c.Path))} {Markup.Escape(FirstLine(reason))}");
    }

    private static string FirstLine(string text) => text.Split('\n')[0] is var l && l.Length > 160 ? l[..160] + "…" : text.Split('\n')[0];
}
