namespace KernelBench.Harness.Problems;

/// <summary>
/// Input the user can fix (a missing folder, a bad config, an unknown problem id). The CLI prints the message
/// alone and exits with code 2. Every project's "bad input" exceptions derive from this one.
/// </summary>
public class BadInputException(string message) : Exception(message);
