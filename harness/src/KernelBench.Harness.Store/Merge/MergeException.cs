namespace KernelBench.Harness.Store.Merge;

/// <summary>Shard folders that cannot be joined; the message lists every reason found, each naming its folder.</summary>
public sealed class MergeException(IReadOnlyList<string> reasons)
    : KernelBench.Harness.Problems.BadInputException("cannot merge:\n  - " + string.Join("\n  - ", reasons))
{
    public IReadOnlyList<string> Reasons { get; } = reasons;
}
