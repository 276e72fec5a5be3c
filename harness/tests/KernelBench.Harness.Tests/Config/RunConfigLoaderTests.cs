using KernelBench.Harness.Core.Settings;
using KernelBench.Harness.Config;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Config;

[TestFixture]
public class RunConfigLoaderTests
{
    private const string Valid = """
        kernelbench: kb                        # relative to this file
        problems: { level: 1, ids: [19, 23] }
        model: { base_url: "http://127.0.0.1:8000/v1", name: deepseek-r1, api_key_env: DEEPSEEK_API_KEY }
        budget: { minutes: 15, attempts: 20 }
        strategy: sequential
        device: cuda:1
        out: results/runs/my-run
        """;

    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private string Write(string yaml) => _dir.File("run.yaml", yaml);

    private ConfigException Refused(string yaml) => Assert.Throws<ConfigException>(() => RunConfigLoader.Load(Write(yaml)))!;

    [Test]
    public void Load_IssueExample_ResolvesPathsAndDefaults()
    {
        var config = RunConfigLoader.Load(Write(Valid));

        Assert.That(config.KernelBench, Is.EqualTo(Path.Combine(_dir.Path, "kb")));
        Assert.That(config.Out, Is.EqualTo(Path.Combine(_dir.Path, "results", "runs", "my-run")));
        Assert.That(config.Problems.Levels, Is.EqualTo(new[] { 1 }));
        Assert.That(config.Problems.Ids, Is.EqualTo(new[] { 19, 23 }));
        Assert.That(config.Model.Name, Is.EqualTo("deepseek-r1"));
        Assert.That(config.Model.ApiKeyEnv, Is.EqualTo("DEEPSEEK_API_KEY"));
        Assert.That((config.Model.Temperature, config.Model.TopP, config.Model.SystemPrompt), Is.EqualTo((0.6, 0.95, (string?)null)));
        Assert.That((config.Budget.Minutes, config.Budget.Attempts, config.Budget.Tokens), Is.EqualTo((15.0, 20, (long?)null)));
        Assert.That(config.Device, Is.EqualTo("cuda:1"));
        Assert.That(config.Eval.CorrectnessTrials, Is.EqualTo(5));
    }

    [Test]
    public void Load_UnknownKey_NamesFileLineColumnAndSuggestion()
    {
        var ex = Refused(Valid.Replace("strategy: sequential", "stratgy: sequential"));

        Assert.That(ex.Message, Does.StartWith($"{_dir.Path}/run.yaml:5:1: unknown key 'stratgy'"));
        Assert.That(ex.Message, Does.Contain("did you mean 'strategy'?"));
    }

    [Test]
    public void Load_UnknownNestedKey_NamesItsFullPath()
    {
        var ex = Refused(Valid.Replace("minutes: 15", "minuts: 15"));

        Assert.That(ex.Message, Does.Contain("run.yaml:4:11: unknown key 'budget.minuts'"));
    }

    [Test]
    public void Load_WrongType_SaysWhatWasExpected()
    {
        var ex = Refused(Valid.Replace("attempts: 20", "attempts: many"));

        Assert.That(ex.Message, Does.Contain("run.yaml:4:34: 'budget.attempts' must be an integer, not 'many'"));
    }

    [Test]
    public void Load_ListWhereScalarExpected_SaysSo()
    {
        var ex = Refused(Valid.Replace("device: cuda:1", "device: [cuda]"));

        Assert.That(ex.Message, Does.Contain("run.yaml:6:9: 'device' must be a single value, not a list"));
    }

    [Test]
    public void Load_MissingRequiredValue_NamesTheKeyAndItsMapping()
    {
        var ex = Refused(Valid.Replace("name: deepseek-r1, ", ""));

        Assert.That(ex.Message, Does.Contain("run.yaml:3:8: missing required key 'model.name'"));
    }

    [Test]
    public void Load_MissingTopLevelSection_NamesIt()
    {
        var ex = Refused(string.Join('\n', Valid.Split('\n').Where(l => !l.StartsWith("budget:"))));

        Assert.That(ex.Message, Does.Contain("run.yaml:1:1: missing required key 'budget'"));
    }

    [Test]
    public void Load_NoOut_RunGoesToResultsRunsNamedAfterTheConfig()
    {
        var config = RunConfigLoader.Load(Write(string.Join('\n', Valid.Split('\n').Where(l => !l.StartsWith("out:")))));

        Assert.That(config.Out, Is.EqualTo(Path.Combine(Environment.CurrentDirectory, "results", "runs", "run")));
    }

    [TestCase("minutes: 15", "minutes: 0", "'budget.minutes' is 0, out of range")]
    [TestCase("attempts: 20", "attempts: -3", "'budget.attempts' is -3, out of range: expected 1 to")]
    [TestCase("level: 1", "level: 7", "'problems.level' is 7, out of range: expected 1 to 4")]
    public void Load_OutOfRange_GivesValueAndRange(string from, string to, string expected)
    {
        var ex = Refused(Valid.Replace(from, to));

        Assert.That(ex.Message, Does.Contain(expected));
        Assert.That(ex.Message, Does.Match(@"run\.yaml:\d+:\d+: "));
    }

    [Test]
    public void Load_EmptyBudget_NeedsOneLimit()
    {
        var ex = Refused(Valid.Replace("budget: { minutes: 15, attempts: 20 }", "budget: {}"));

        Assert.That(ex.Message, Does.Contain("run.yaml:4:9: 'budget' needs at least one of minutes, attempts or tokens"));
    }

    [Test]
    public void Load_BadChoiceAndBadUrl_NameTheAllowedValues()
    {
        Assert.That(Refused(Valid.Replace("strategy: sequential", "strategy: greedy")).Message,
            Does.Contain("run.yaml:5:11: 'strategy' must be one of sequential, best_of_n, hybrid, not 'greedy'"));
        Assert.That(Refused(Valid.Replace("http://127.0.0.1:8000/v1", "localhost:8000")).Message,
            Does.Contain("'model.base_url' must be an http(s) URL, not 'localhost:8000'"));
        Assert.That(Refused(Valid.Replace("device: cuda:1", "device: gpu0")).Message,
            Does.Contain("run.yaml:6:9: 'device' is 'gpu0': expected cpu, cuda or cuda:N"));
    }

    [Test]
    public void Load_InvalidYaml_GivesPlaceAndParserMessage()
    {
        var ex = Refused("kernelbench: kb\nproblems: { level: 1\nmodel: x\n");

        Assert.That(ex.Message, Does.Match(@"run\.yaml:\d+:\d+: not valid YAML"));
    }

    [Test]
    public void Load_NotAMapping_IsRefused()
    {
        Assert.That(Refused("- a\n- b\n").Message, Does.Contain("run.yaml:1:1: a run config must be a YAML mapping"));
    }

    [Test]
    public void Load_MissingFile_NamesIt()
    {
        var ex = Assert.Throws<ConfigException>(() => RunConfigLoader.Load(Path.Combine(_dir.Path, "nope.yaml")))!;
        Assert.That(ex.Message, Does.Contain("nope.yaml: config file not found"));
    }

    [Test]
    public void Load_TheDocumentedExamples_AreValidConfigs()
    {
        // The run-config blocks are what people copy: docs/configuration.md's full one and the README's quickstart.
        var full = RunConfigLoader.Load(Write(YamlBlock("docs/configuration.md", "kernelbench:")));
        Assert.That((full.Model.Temperature, full.Model.TopP, full.Strategy), Is.EqualTo((0.6, 0.95, "sequential")));
        Assert.That(full.Budget, Is.EqualTo(new BudgetSettings(15, 20, null)));
        Assert.That(full.Model.MaxConcurrentRequests, Is.EqualTo(8));

        var quick = RunConfigLoader.Load(Write(YamlBlock("README.md", "# my-run.yaml")));
        Assert.That((quick.Problems.Levels.Single(), quick.Problems.Ids.Single(), quick.Budget.Minutes, quick.Device), Is.EqualTo((1, 19, 15.0, "cuda")));
    }

    private static string YamlBlock(string file, string firstLine)
    {
        var text = File.ReadAllText(Path.Combine(Paths.RepoRoot, file));
        var start = text.IndexOf("```yaml\n" + firstLine, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"{file} has a ```yaml block starting with {firstLine}");
        start += "```yaml\n".Length;
        return text[start..text.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [Test]
    public void Load_EvalInputs_DeviceOrCpuOnly()
    {
        Assert.That(RunConfigLoader.Load(Write(Valid + "\neval: { inputs: device }")).Eval.Inputs, Is.EqualTo(InputsPlace.Device));
        Assert.That(RunConfigLoader.Load(Write(Valid)).Eval.Inputs, Is.EqualTo(InputsPlace.Cpu));
        var ex = Refused(Valid + "\neval: { inputs: gpu }");
        Assert.That(ex.Message, Does.Contain("eval.inputs").And.Contain("cpu").And.Contain("device"));
    }

    [Test]
    public void Load_EvalBuilds_FastByDefaultPlainOnRequestTypoRefused()
    {
        Assert.That(RunConfigLoader.Load(Write(Valid)).Eval.Builds, Is.EqualTo(BuildMode.Fast));
        Assert.That(RunConfigLoader.Load(Write(Valid + "\neval: { builds: plain }")).Eval.Builds, Is.EqualTo(BuildMode.Plain));
        var ex = Refused(Valid + "\neval: { builds: quick }");
        Assert.That(ex.Message, Does.Contain("eval.builds").And.Contain("fast").And.Contain("plain"));
    }

    [Test]
    public void Load_EvalWorkers_PositiveOrUnset()
    {
        Assert.That(RunConfigLoader.Load(Write(Valid + "\neval: { workers: 3 }")).Eval.Workers, Is.EqualTo(3));
        Assert.That(RunConfigLoader.Load(Write(Valid)).Eval.Workers, Is.Null);
        var ex = Refused(Valid + "\neval: { workers: 0 }");
        Assert.That(ex.Message, Does.Contain("eval.workers"));
    }

    [Test]
    public void Load_EvalTimingOrder_InterleavedByDefault_SeparateWithDoBench()
    {
        Assert.That(RunConfigLoader.Load(Write(Valid)).Eval.EffectiveTimingOrder, Is.EqualTo(TimingOrder.Interleaved));
        Assert.That(RunConfigLoader.Load(Write(Valid + "\neval: { timing: do_bench }")).Eval.EffectiveTimingOrder, Is.EqualTo(TimingOrder.Separate));
        Assert.That(RunConfigLoader.Load(Write(Valid + "\neval: { timing_order: separate }")).Eval.EffectiveTimingOrder, Is.EqualTo(TimingOrder.Separate));
        Assert.That(Refused(Valid + "\neval: { timing_order: paired }").Message, Does.Contain("eval.timing_order"));
        Assert.That(Refused(Valid + "\neval: { timing_order: interleaved, timing: do_bench }").Message, Does.Contain("do_bench"));
    }

    [Test]
    public void Load_EvalTimingKernelbench_SeparateByDefault_InterleavedRefused()
    {
        var eval = RunConfigLoader.Load(Write(Valid + "\neval: { timing: kernelbench }")).Eval;
        Assert.That((eval.Timing, eval.EffectiveTimingOrder), Is.EqualTo((TimingMethod.Kernelbench, TimingOrder.Separate)));
        Assert.That(RunConfigLoader.Load(Write(Valid + "\neval: { timing: kernelbench, timing_order: separate }")).Eval.EffectiveTimingOrder, Is.EqualTo(TimingOrder.Separate));
        Assert.That(Refused(Valid + "\neval: { timing: kernelbench, timing_order: interleaved }").Message,
            Does.Contain("eval.timing_order").And.Contain("not kernelbench"));
        Assert.That(Refused(Valid + "\neval: { timing: kernel_bench }").Message, Does.Contain("eval.timing"));
    }

    [Test]
    public void Load_EvalPolicy_EvidenceByDefault_OneOfTheFourElseRefusedByName()
    {
        Assert.That(RunConfigLoader.Load(Write(Valid)).Eval.Policy, Is.EqualTo(Policy.Evidence));
        foreach (var (text, policy) in new[] { ("kernelbench", Policy.Kernelbench), ("kernelbench-static", Policy.KernelbenchStatic), ("evidence", Policy.Evidence), ("strict", Policy.Strict) })
            Assert.That(RunConfigLoader.Load(Write(Valid + $"\neval: {{ policy: {text} }}")).Eval.Policy, Is.EqualTo(policy));
        Assert.That(Refused(Valid + "\neval: { policy: lenient }").Message, Does.Contain("eval.policy"));
        var options = KernelBench.Harness.Cli.Commands.Run.VerifierFactory.Options(RunConfigLoader.Load(Write(Valid + "\neval: { policy: strict }")));
        Assert.That(options.Settings.Policy, Is.EqualTo("strict"));
    }
}
