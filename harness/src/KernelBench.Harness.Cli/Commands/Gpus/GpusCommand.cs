using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Scoring.Gpu;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Gpus;

/// <summary>`kbh gpus`: the GPUs the CUDA driver sees, or why there are none (exit 0 either way: CPU is a valid setup).</summary>
public sealed class GpusCommand(IAnsiConsole console) : Command<GpusCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("table (default) or json.")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        public override ValidationResult Validate() =>
            Format is "table" or "json" ? ValidationResult.Success() : ValidationResult.Error($"--format must be table or json, not '{Format}'.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var result = GpuInventory.Discover();
        if (settings.Format == "json")
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(result, GpuJsonContext.Default.GpuInventoryResult));
            return ExitCodes.Success;
        }
        if (!result.HasGpu)
        {
            console.WriteLine($"{result.Reason}; CPU only");
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("#", "Name", "UUID", "SMs", "Memory", "CC", "SM clock", "Mem clock", "L2");
        foreach (var g in result.Gpus)
            table.AddRow(Text(g.Index), Markup.Escape(g.Name), g.Uuid, Text(g.SmCount),
                g.TotalMemoryBytes is { } m ? $"{(m / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture)} GiB" : "-",
                g.ComputeCapability ?? "-", Mhz(g.MaxSmClockMHz), Mhz(g.MaxMemoryClockMHz),
                g.L2CacheBytes is { } l2 ? $"{(l2 / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB" : "-");
        console.Write(table);
        console.WriteLine($"driver {result.DriverVersion ?? "?"}, CUDA driver API {result.CudaDriverVersion ?? "?"}, NVRTC {result.NvrtcVersion ?? "not found"}");
        return ExitCodes.Success;
    }

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Mhz(int? value) => value is { } v ? $"{v.ToString(CultureInfo.InvariantCulture)} MHz" : "-";
}
