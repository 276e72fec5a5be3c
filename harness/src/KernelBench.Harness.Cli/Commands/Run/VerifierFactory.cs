using KernelBench.Harness.Config;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Cli.Commands.Run;

/// <summary>
/// The one place `kbh run` gets its verifier. MERGE: replace the body of <see cref="Create"/> with the scoring engine
/// (the Python-worker verifier built from config.Eval and config.Device); nothing else in the agent changes.
/// For every GPU of the node (device: cuda, gpus: [...]), build it per device through
/// <c>MultiDeviceVerifier.For(config.Device, config.Gpus, visibleGpuCount, label => workerVerifier(config, label))</c>
/// (Scoring/Devices): one worker per GPU, each problem pinned to one GPU for its reference and candidates.
/// </summary>
public static class VerifierFactory
{
    public static IVerifier Create(RunConfig config) => new PendingVerifier();

    /// <summary>Stands in until the scoring engine is merged: every candidate is rejected with a message that says so.</summary>
    private sealed class PendingVerifier : IVerifier
    {
        public Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken) =>
            Task.FromResult(new Verdict
            {
                Status = VerdictStatus.Rejected,
                Reason = "no scoring engine in this build of kbh (VerifierFactory is wired at merge)",
                Level = problem.Level, ProblemId = problem.Id, ProblemName = problem.Name, ProblemSha256 = problem.Sha256,
            });
    }
}
