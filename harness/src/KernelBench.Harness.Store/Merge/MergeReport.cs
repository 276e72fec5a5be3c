namespace KernelBench.Harness.Store.Merge;

/// <summary>What `kbh merge` did: folders joined, attempts written, identical copies dropped, and what it warns about.</summary>
public sealed record MergeReport(string Out, int Folders, int Attempts, int DuplicatesCollapsed, bool Complete, IReadOnlyList<string> Warnings);
