namespace KernelBench.Harness.Reports.Model;

/// <summary>Input a report cannot be made from at all (no such folder, an unreadable import); the message names the cause.</summary>
public sealed class ReportInputException(string message) : KernelBench.Harness.Problems.BadInputException(message);
