using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using CsvHelper;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Problems;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Problems;

/// <summary>`kbh problems list`: the problems of a KernelBench folder as a table, CSV or JSON.</summary>
public sealed class ProblemsListCommand(IAnsiConsole console) : Command<ProblemsListCommand.Settings>
{
    public sealed class Settings : KernelBenchSettings
    {
        [CommandOption("--level <N>")]
        [Description("Only this level (1-4).")]
        public int? Level { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("table (default), csv (level,id,name,sha256,path) or json.")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        public override ValidationResult Validate()
        {
            var baseResult = base.Validate();
            if (!baseResult.Successful)
                return baseResult;
            if (Format is not ("table" or "csv" or "json"))
                return ValidationResult.Error($"--format must be table, csv or json, not '{Format}'.");
            return Level is < 1 ? ValidationResult.Error("--level must be 1 or more.") : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var set = ProblemLoader.Load(settings.KernelBench!);
        var problems = set.Problems.Where(p => settings.Level is null || p.Level == settings.Level).ToList();
        switch (settings.Format)
        {
            case "csv":
                WriteCsv(problems);
                break;
            case "json":
                Console.Out.WriteLine(JsonSerializer.Serialize(
                    problems.Select(p => new { level = p.Level, id = p.Id, name = p.Name, sha256 = p.Sha256, path = p.Path }),
                    new JsonSerializerOptions { WriteIndented = true }));
                break;
            default:
                WriteTable(set, problems);
                break;
        }
        foreach (var error in set.Errors)
            ErrorOutput.Write(error.ToString(), null);
        return ExitCodes.Success;
    }

    private static void WriteCsv(IEnumerable<Problem> problems)
    {
        using var csv = CsvWriter.Create(Console.Out, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        foreach (var header in new[] { "level", "id", "name", "sha256", "path" })
            csv.WriteField(header);
        csv.EndRecord();
        foreach (var p in problems)
        {
            csv.WriteField(p.Level.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(p.Id.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(p.Name);
            csv.WriteField(p.Sha256);
            csv.WriteField(p.Path);
            csv.EndRecord();
        }
    }

    private void WriteTable(ProblemSet set, IReadOnlyList<Problem> problems)
    {
        var table = new Table().AddColumns("Level", "Id", "Name", "SHA-256");
        foreach (var p in problems)
            table.AddRow(p.Level.ToString(CultureInfo.InvariantCulture), p.Id.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(p.Name), p.Sha256[..12]);
        console.Write(table);
        console.MarkupLine($"{problems.Count} problems from [bold]{Markup.Escape(set.Root)}[/]; problem-set hash {set.Hash[..12]}");
    }
}
