using System.Diagnostics;
using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// Finds the Python that runs workers: KBH_PYTHON if set, else the first of `python3` on the PATH and /usr/bin/python3
/// that has torch. Without one, a single error that says how to fix it. The probe looks torch up without importing it:
/// an import costs seconds (torch 2.x on a GPU node: 2-3 s) ahead of every run's first worker, which imports it anyway
/// and reports, with Python's own message, a torch that is there but broken.
/// </summary>
public static class PythonLocator
{
    public const string EnvironmentVariable = "KBH_PYTHON";

    private static readonly Lock Gate = new();
    private static string? _found;

    public static string Locate()
    {
        lock (Gate)
            return _found ??= Find();
    }

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return HasTorch(configured, out var why)
                ? configured
                : throw new BadInputException($"{EnvironmentVariable}={configured} cannot run workers: {why}");
        }
        var tried = new List<string>();
        foreach (var candidate in new[] { OnPath("python3"), "/usr/bin/python3" }.OfType<string>().Distinct())
        {
            if (HasTorch(candidate, out var why))
                return candidate;
            tried.Add($"{candidate} ({why})");
        }
        throw new BadInputException(
            "no Python with PyTorch found to run workers" + (tried.Count > 0 ? $"; tried {string.Join(", ", tried)}" : "") +
            $". Install PyTorch for python3 (on Debian: apt-get install python3-torch) or set {EnvironmentVariable} to a Python that has it.");
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static bool HasTorch(string python, out string why)
    {
        try
        {
            var info = new ProcessStartInfo(python, ["-c", "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None and 3)"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                why = "looking torch up took over 60 s";
                return false;
            }
            why = process.ExitCode switch
            {
                0 => "",
                3 => "it has no torch module",
                _ => "cannot look torch up: " + LastLine(stderr.Result),
            };
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            why = $"cannot start it: {e.Message}";
            return false;
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
}
