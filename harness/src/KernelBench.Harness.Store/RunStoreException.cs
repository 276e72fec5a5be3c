namespace KernelBench.Harness.Store;

/// <summary>A run folder that cannot be used as asked; the message names the folder and the cause.</summary>
public sealed class RunStoreException(string message) : KernelBench.Harness.Problems.BadInputException(message);
