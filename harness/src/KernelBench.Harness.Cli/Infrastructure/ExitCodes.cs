namespace KernelBench.Harness.Cli.Infrastructure;

/// <summary>The exit codes every `kbh` command uses.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The work itself failed (a harness fault, an endpoint that broke, a run that could not finish).</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or bad input: the user can fix it from the message.</summary>
    public const int BadInput = 2;
}
