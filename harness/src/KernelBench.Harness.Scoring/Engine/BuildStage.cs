using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// The build stage: the worker imports the candidate in a process of its own, which builds its extensions into the
/// content-addressed build cache. A build whose every extension came from the cache leaves a build record, so a later
/// run may skip it.
/// </summary>
internal sealed class BuildStage(EngineOptions options, EngineWorker workers, CandidateFiles files, CandidateBuildRecords buildRecords)
{
    /// <summary>A build record says every extension of this source is in the cache: the check's import is the only one.</summary>
    public Task<bool> CoveredAsync(string sha, CancellationToken ct) => buildRecords.CoversAsync(sha, TimeSpan.FromSeconds(5), ct);

    /// <summary>The build job's answer, and the verdict when the candidate did not build.</summary>
    public async Task<(WorkerReply Build, Verdict? Failed)> RunAsync(WorkerProcess worker, VerdictFactory verdicts, string source, string sha, CancellationToken ct)
    {
        var path = files.Write(source, sha);
        var request = JobRequests.Build(CandidateFiles.Key(sha), path, files.ExtensionsDir(sha), options.Settings.Sandbox, verdicts.ProblemPath);
        var build = await workers.RunAsync(worker, request, options.Worker.BuildTimeout, ct);
        if (build.Outcome != WorkerOutcome.Answered)
            return (build, verdicts.FromFailure(build, "build"));
        var answer = BuildAnswer.From(build);
        if (answer.Status == "bad_input") // --require-sandbox on a machine that cannot give every part of it
            throw new BadInputException(answer.Reason);
        if (answer.Status == "timeout")
            return (build, verdicts.Make(VerdictStatus.Timeout, answer.Reason, build.OutputTail));
        if (answer.Status != "built")
            return (build, verdicts.Make(VerdictStatus.CompileError, answer.Reason, build.OutputTail) with { BuildSeconds = answer.BuildSeconds, BuildModes = answer.BuildModes });
        buildRecords.Put(sha, build); // every extension came from the cache: a later run may skip this build
        return (build, null);
    }
}
