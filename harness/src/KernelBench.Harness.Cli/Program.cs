using KernelBench.Harness.Cli;

return await KbhApp.RunAsync(args, Spectre.Console.AnsiConsole.Console);
