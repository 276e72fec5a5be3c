using KernelBench.Harness.Config;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>
/// How a strategy maps onto chains: sequential is one chain refined on feedback; best_of_n is N chains of independent
/// one-shot samples (no feedback); hybrid is K chains, each refined on its own feedback. Chains of a problem run side by side.
/// </summary>
public sealed record ChainPlan(int Chains, bool Refine)
{
    public static ChainPlan For(RunConfig config) => config.Strategy switch
    {
        "best_of_n" => new ChainPlan(config.Samples, Refine: false),
        "hybrid" => new ChainPlan(config.Samples, Refine: true),
        _ => new ChainPlan(1, Refine: true),
    };
}
