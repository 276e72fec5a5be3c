using System.ComponentModel;
using KernelBench.Harness.Problems;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Problems;

/// <summary>`kbh problems show`: one problem's metadata and source.</summary>
public sealed class ProblemsShowCommand(IAnsiConsole console) : Command<ProblemsShowCommand.Settings>
{
    public sealed class Settings : KernelBenchSettings
    {
        [CommandOption("--level <N>")]
        [Description("The problem's level.")]
        public int Level { get; init; }

        [CommandOption("--id <K>")]
        [Description("The problem's id (the number before the first '_' of its file name).")]
        public int Id { get; init; }

        public override ValidationResult Validate()
        {
            var baseResult = base.Validate();
            if (!baseResult.Successful)
                return baseResult;
            return Level < 1 || Id < 1 ? ValidationResult.Error("--level N and --id K are both required.") : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var set = ProblemLoader.Load(settings.KernelBench!);
        var problem = set.Find(settings.Level, settings.Id)
            ?? throw new BadInputException($"{settings.KernelBench}: no problem with level {settings.Level} and id {settings.Id}"
                + (set.Errors.Count > 0 ? $" ({set.Errors.Count} files could not be loaded; see `kbh problems list`)." : "."));
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("level", problem.Level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("id", problem.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("name", Markup.Escape(problem.Name));
        grid.AddRow("path", Markup.Escape(problem.Path));
        grid.AddRow("sha256", problem.Sha256);
        grid.AddRow("defines", Markup.Escape(string.Join(", ", problem.Definitions)));
        console.Write(grid);
        console.WriteLine();
        console.WriteLine(problem.Source);
        return 0;
    }
}
