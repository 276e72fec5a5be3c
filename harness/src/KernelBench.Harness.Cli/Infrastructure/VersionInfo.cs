using System.Reflection;

namespace KernelBench.Harness.Cli.Infrastructure;

/// <summary>The harness version and the commit it was built from (the SDK appends "+commit" to the informational version).</summary>
public static class VersionInfo
{
    public static string Informational { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version => Informational.Split('+')[0];

    public static string Commit => Informational.Contains('+') ? Informational.Split('+')[1] : "unknown";

    public static string Describe() => $"{Version} (commit {Commit})";
}
