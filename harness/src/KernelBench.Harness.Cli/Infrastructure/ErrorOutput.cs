namespace KernelBench.Harness.Cli.Infrastructure;

/// <summary>Writes errors to stderr: one line, with the stack trace only when asked for (--verbose).</summary>
public static class ErrorOutput
{
    public static void Write(string message, Exception? detail)
    {
        Console.Error.WriteLine($"kbh: error: {message}");
        if (detail is not null)
            Console.Error.WriteLine(detail);
    }
}
