namespace KernelBench.Harness.Core.Settings;

/// <summary>A setting's value is refused; the message names the setting (and, from a file, where it is) and what was expected.</summary>
public sealed class SettingException(string message) : Exception(message);
