using KernelBench.Harness.Config;
using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Agent.Prompts;

/// <summary>The initial (task) and feedback templates of a run: the built-in ones, or files named under prompts: in the config.</summary>
public sealed class PromptSet
{
    public static readonly string[] InitialPlaceholders = ["problem_source", "problem_key", "problem_name", "backend_instructions", "device"];
    public static readonly string[] FeedbackPlaceholders = ["problem_key", "problem_name", "attempt", "status", "details", "best_so_far", "device"];

    private PromptSet(PromptTemplate initial, PromptTemplate feedback)
    {
        Initial = initial;
        Feedback = feedback;
    }

    public PromptTemplate Initial { get; }
    public PromptTemplate Feedback { get; }

    public static PromptSet Load(PromptSettings settings) => new(
        Read(settings.Initial, "initial.md", InitialPlaceholders),
        Read(settings.Feedback, "feedback.md", FeedbackPlaceholders));

    /// <summary>The text of a built-in template, for users to copy.</summary>
    public static string BuiltIn(string name)
    {
        using var stream = typeof(PromptSet).Assembly.GetManifestResourceStream("prompts/" + name)
            ?? throw new InvalidOperationException($"built-in prompt {name} is missing from the assembly");
        return new StreamReader(stream).ReadToEnd();
    }

    public string RenderInitial(Problem problem, string backend, string device) => Initial.Render(new Dictionary<string, string>
    {
        ["problem_source"] = problem.Source.TrimEnd(),
        ["problem_key"] = problem.Key,
        ["problem_name"] = problem.Name,
        ["backend_instructions"] = BackendInstructions.For(backend),
        ["device"] = device,
    });

    public string RenderFeedback(Problem problem, int attempt, FeedbackText feedback, string device) => Feedback.Render(new Dictionary<string, string>
    {
        ["problem_key"] = problem.Key,
        ["problem_name"] = problem.Name,
        ["attempt"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["status"] = feedback.Status,
        ["details"] = feedback.Details,
        ["best_so_far"] = feedback.BestSoFar,
        ["device"] = device,
    });

    private static PromptTemplate Read(string? path, string builtIn, string[] known)
    {
        if (path is null)
            return PromptTemplate.Parse(BuiltIn(builtIn), "built-in " + builtIn, known);
        if (!File.Exists(path))
            throw new PromptTemplateException($"{path}: prompt template not found (prompts: in the config).");
        return PromptTemplate.Parse(File.ReadAllText(path), path, known);
    }
}
