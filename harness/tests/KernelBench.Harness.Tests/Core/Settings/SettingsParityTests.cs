using System.Reflection;
using KernelBench.Harness.Cli.Commands.Eval;
using KernelBench.Harness.Config;
using KernelBench.Harness.Core.Settings;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Testing;

namespace KernelBench.Harness.Tests.Core.Settings;

/// <summary>
/// The YAML eval: section and the flags of `kbh eval`/`kbh baseline` are one settings model: every key has its flag
/// and the other way round, parsed to the same values with the same defaults. Reflects over <see cref="EvalOptions"/>,
/// so a new setting without a flag, or a flag without a setting, fails here.
/// </summary>
[TestFixture]
public class SettingsParityTests
{
    private const string Head = """
        kernelbench: kb
        problems: { level: 1 }
        model: { base_url: "http://127.0.0.1:8000/v1", name: m }
        budget: { attempts: 1 }
        """;

    /// <summary>Parses flags as `kbh eval` does (Spectre's own parser and the settings' Validate).</summary>
    private sealed class Probe : Command<MeasureSettings>
    {
        public override int Execute(CommandContext context, MeasureSettings settings, CancellationToken cancellationToken) => 0;
    }

    private static EvalOptions FromFlags(params string[] flags)
    {
        var app = new CommandAppTester();
        app.SetDefaultCommand<Probe>();
        var result = app.Run(["--kernelbench", "kb", .. flags]);
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        return ((MeasureSettings)result.Settings!).Options;
    }

    private static string FlagsError(params string[] flags)
    {
        var app = new CommandAppTester();
        app.SetDefaultCommand<Probe>();
        return app.RunAndCatch<Exception>(["--kernelbench", "kb", .. flags]).Exception?.Message ?? "";
    }

    private static EvalOptions FromYaml(string top, string eval) =>
        RunConfigLoader.Parse(Head + "\n" + top + (eval.Length > 0 ? "\neval:\n" + eval : ""), "run.yaml", Path.GetTempPath()).Eval;

    [Test]
    public void EverySetting_HasOneFlag_AndEveryFlag_OneSetting()
    {
        var flags = typeof(MeasureSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.GetCustomAttribute<CommandOptionAttribute>() is not null).ToList();
        Assert.That(MeasureSettings.FlagProperties.Keys, Is.EquivalentTo(SettingInfo.All), "a setting without its flag");
        Assert.That(flags, Is.EquivalentTo(MeasureSettings.FlagProperties.Values), "a flag that is no setting");
        foreach (var (setting, property) in MeasureSettings.FlagProperties)
        {
            var option = property.GetCustomAttribute<CommandOptionAttribute>()!;
            Assert.That(option.LongNames[0], Is.EqualTo(setting.Flag[2..]), $"{setting.Key}: the flag is the key with dashes");
            Assert.That(property.PropertyType, Is.EqualTo(setting.IsSwitch ? typeof(bool) : typeof(string)),
                $"{setting.Flag}: text for the one parser (a switch for a setting that is false unless given)");
            Assert.That(property.GetCustomAttribute<System.ComponentModel.DefaultValueAttribute>(), Is.Null,
                $"{setting.Flag}: the default lives in {nameof(EvalOptions)} alone");
        }
    }

    [Test]
    public void NothingGiven_YamlAndFlags_GiveTheModelsDefaults()
    {
        Assert.That(FromYaml("", ""), Is.EqualTo(new EvalOptions()));
        Assert.That(FromYaml("", "  seed: 42"), Is.EqualTo(new EvalOptions()));
        Assert.That(FromFlags(), Is.EqualTo(new EvalOptions()));
        Assert.That(new EvalOptions().Device, Is.EqualTo("cuda"), "one default device for kbh run, eval and baseline");
    }

    [Test]
    public void EverySetting_GivenAnotherValue_ReadsTheSameFromYamlAndFlags()
    {
        var top = new List<string>();
        var eval = new List<string>();
        var flags = new List<string>();
        foreach (var s in SettingInfo.All)
        {
            var text = OtherValue(s);
            (s.Attribute.TopLevel ? top : eval).Add(s.Attribute.TopLevel ? $"{s.Key}: {text}" : $"  {s.Key}: {text}");
            flags.AddRange(s.IsSwitch ? [s.Flag] : [s.Flag, text]);
        }
        var fromYaml = FromYaml(string.Join("\n", top), string.Join("\n", eval));
        var fromFlags = FromFlags([.. flags]);
        Assert.That(fromFlags, Is.EqualTo(fromYaml));
        foreach (var s in SettingInfo.All)
            Assert.That(s.Property.GetValue(fromYaml), Is.Not.EqualTo(s.Default), $"{s.Key} was read");
    }

    [Test]
    public void BadValue_RefusedWithTheSameWords_ByYamlAndFlags()
    {
        var yaml = Assert.Throws<ConfigException>(() => FromYaml("", "  perf_trials: 0"))!.Message;
        var flag = FlagsError("--perf-trials", "0");
        Assert.That(yaml, Does.StartWith("run.yaml:").And.Contain("'eval.perf_trials' is '0': expected an integer from 1 to 100000"));
        Assert.That(flag, Does.Contain("--perf-trials is '0': expected an integer from 1 to 100000"));
        Assert.That(FlagsError("--timing", "fast"), Does.Contain("expected one of cuda_event, do_bench, host_time"));
        Assert.That(FlagsError("--timing", "do_bench", "--timing-order", "interleaved"), Does.Contain("not do_bench"));
        Assert.That(Assert.Throws<ConfigException>(() => FromYaml("device: gpu", ""))!.Message, Does.Contain("'device' is 'gpu': expected cpu, cuda or cuda:N"));
    }

    [Test]
    public void OlderFlagNames_StillWork()
    {
        var options = FromFlags("--trials", "7", "--timeout", "12", "--build-timeout", "34");
        Assert.That((options.CorrectnessTrials, options.TimeoutSeconds, options.BuildTimeoutSeconds), Is.EqualTo((7, 12.0, 34.0)));
    }

    private enum Sample { KernelbenchPlain, [System.Text.Json.Serialization.JsonStringEnumMemberName("kernelbench-static")] KernelbenchStatic }

    [Test]
    public void EnumValue_IsSnakeCase_UnlessItsMemberIsNamed()
    {
        Assert.That(SettingInfo.Format(Sample.KernelbenchPlain), Is.EqualTo("kernelbench_plain"));
        Assert.That(SettingInfo.Format(Sample.KernelbenchStatic), Is.EqualTo("kernelbench-static"));
        Assert.That(SettingInfo.Format(TimingMethod.CudaEvent), Is.EqualTo("cuda_event"));
    }

    /// <summary>A valid value other than the default, as text.</summary>
    private static string OtherValue(SettingInfo s)
    {
        var type = s.ValueType;
        if (type == typeof(bool))
            return (bool?)s.Default == true ? "false" : "true";
        if (type.IsEnum)
            return s.Choices.Last(c => c != SettingInfo.Format(s.Default));
        if (type == typeof(string))
            return SettingInfo.Format(s.Default) == "cpu" ? "cuda:1" : "cpu";
        var low = Math.Max(s.Attribute.Min, 0) + 2;
        var value = s.Default is null ? low : Convert.ToDouble(s.Default) is var d && d > low ? Math.Floor(d / 2) : low;
        return SettingInfo.Format(type == typeof(double) ? value : (object)(long)value);
    }
}
