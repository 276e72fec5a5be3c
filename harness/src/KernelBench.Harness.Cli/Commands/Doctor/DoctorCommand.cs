using System.ComponentModel;
using System.Text.Json.Nodes;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Doctor;

/// <summary>
/// `kbh doctor`: what this machine gives a candidate's process. Starts the worker and one empty candidate process the
/// way a check would, and prints the parts of the sandbox in force and why any is missing (docs/threat-model.md).
/// </summary>
public sealed class DoctorCommand(IAnsiConsole console) : AsyncCommand<DoctorCommand.Settings>
{
    private static readonly string[] Parts = ["namespaces", "network", "filesystem", "seccomp", "limits"];

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("table (default) or json.")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        [CommandOption("--require-sandbox")]
        [Description("Exit 2 when any part of the sandbox is missing (as kbh eval --require-sandbox would refuse).")]
        public bool RequireSandbox { get; init; }

        public override ValidationResult Validate() =>
            Format is "table" or "json" ? ValidationResult.Success() : ValidationResult.Error($"--format must be table or json, not '{Format}'.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var worker = await WorkerProcess.StartAsync(new WorkerOptions(), cancellationToken);
        var reply = await worker.RunAsync(new SandboxJob("auto") { TimeoutSeconds = 120 },
            TimeSpan.FromSeconds(150), cancellationToken);
        if (reply.Outcome != WorkerOutcome.Answered || reply.Status != "ok")
        {
            console.MarkupLine($"[red]no candidate process could be started:[/] {Markup.Escape(reply.Detail + reply.Str("reason"))}");
            return ExitCodes.Failed;
        }
        var sandbox = reply.Texts("sandbox");
        var missing = Parts.Where(p => sandbox.GetValueOrDefault(p) != "true").ToList();
        if (settings.Format == "json")
        {
            var o = new JsonObject();
            foreach (var (k, v) in sandbox)
                o[k] = v;
            console.Profile.Out.Writer.WriteLine(new JsonObject { ["sandbox"] = o, ["python"] = HelloText(worker, "python_version"), ["torch"] = HelloText(worker, "torch_version") }.ToJsonString());
        }
        else
        {
            var table = new Table().AddColumns("part", "in force", "why not");
            foreach (var part in Parts)
                table.AddRow(part, sandbox.GetValueOrDefault(part) == "true" ? "yes" : "[red]no[/]", Markup.Escape(sandbox.GetValueOrDefault("missing." + part, "")));
            console.Write(table);
            if (sandbox.TryGetValue("seconds", out var entering))  // what each candidate's process spends entering it
                console.WriteLine($"entering the sandbox took {entering} s in a fresh candidate process.");
            if (sandbox.TryGetValue("fork_server", out var refused))  // the profiler's modules could not be imported before forking
                console.WriteLine($"fork server: {refused}; each candidate's process imports the profiler's modules itself.");
            console.WriteLine($"python {HelloText(worker, "python_version")}, torch {HelloText(worker, "torch_version")}; " +
                              (missing.Count == 0 ? "candidates run fully sandboxed." : "kbh eval/run judge without the missing parts unless --require-sandbox."));
        }
        return settings.RequireSandbox && missing.Count > 0 ? ExitCodes.BadInput : ExitCodes.Success;
    }

    private static string HelloText(WorkerProcess worker, string name) =>
        worker.Hello.ValueKind == System.Text.Json.JsonValueKind.Object && worker.Hello.TryGetProperty(name, out var v) ? v.ToString() : "?";
}
