using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Agent.Prompts;
using KernelBench.Harness.Config;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>What every problem of a run shares: settings, prompts, the answer source, the verifier queue, the store.</summary>
public sealed record LoopContext(RunConfig Config, PromptSet Prompts, IModelClient Model, VerificationGate Verifier, RunStore Store)
{
    /// <summary>Called after each attempt is stored (progress output); must not throw.</summary>
    public Action<AttemptRecord>? OnAttempt { get; init; }
}
