using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Config;

/// <summary>A config that cannot be used: the message names the file, the line and column, and what was expected.</summary>
public sealed class ConfigException(string message) : BadInputException(message);
