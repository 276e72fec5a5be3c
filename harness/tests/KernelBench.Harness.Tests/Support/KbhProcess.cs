using System.Diagnostics;

namespace KernelBench.Harness.Tests.Support;

/// <summary>Runs the real `kbh` (the Cli project's build output, copied beside the tests) as a child process.</summary>
public static class KbhProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string KbhDll => Path.Combine(AppContext.BaseDirectory, "kbh.dll");

    public static Result Run(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null) => Start([], args, workingDirectory, environment, timeout);

    public static Result Run(params string[] args) => Run((IEnumerable<string>)args);

    /// <summary>The real `kbh` run through another program first (e.g. bubblewrap: `bwrap ... --`).</summary>
    public static Result RunWrapped(IEnumerable<string> wrapper, IEnumerable<string> args, IDictionary<string, string?> environment, TimeSpan? timeout = null) =>
        Start(wrapper.ToList(), args, null, environment, timeout);

    private static Result Start(List<string> wrapper, IEnumerable<string> args, string? workingDirectory, IDictionary<string, string?>? environment, TimeSpan? timeout)
    {
        var command = wrapper.Concat(["dotnet", KbhDll]).Concat(args).ToList();
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Paths.RepoRoot,
        };
        foreach (var a in command.Skip(1))
            info.ArgumentList.Add(a);
        info.Environment["COLUMNS"] = "200";
        if (environment is not null)
            foreach (var (k, v) in environment)
                info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{string.Join(' ', command)} did not finish in time");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
