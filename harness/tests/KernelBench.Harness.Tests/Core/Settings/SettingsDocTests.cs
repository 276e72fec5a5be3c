using System.Text.RegularExpressions;
using KernelBench.Harness.Core.Settings;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Core.Settings;

/// <summary>docs/settings.md is the one table of settings and environment variables: nothing the code reads is missing from it.</summary>
[TestFixture]
public class SettingsDocTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", "settings.md"));

    [Test]
    public void EverySetting_HasItsRow_WithKeyFlagAndDefault()
    {
        foreach (var s in SettingInfo.All)
        {
            var row = Doc.Split('\n').FirstOrDefault(l => l.StartsWith($"| `{s.Key}`", StringComparison.Ordinal));
            Assert.That(row, Is.Not.Null, $"docs/settings.md has no row for {s.Key}");
            var cells = row!.Split('|');
            Assert.That(cells[2], Does.Contain($"`{s.Flag}`"), s.Key);
            Assert.That(cells[3].Trim().Trim('`'), Is.EqualTo(SettingInfo.Format(s.Default)), $"{s.Key}: the documented default");
        }
    }

    [Test]
    public void EveryKbhVariable_InTheCode_IsInTheTable()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Paths.RepoRoot, "harness", "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Concat(Directory.EnumerateFiles(Path.Combine(Paths.RepoRoot, "harness", "worker"), "*.py"))
            .Concat(Directory.EnumerateFiles(Path.Combine(Paths.RepoRoot, "scripts"), "*.sh", SearchOption.AllDirectories));
        var names = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bKBH_[A-Z0-9_]*[A-Z0-9]\b").Select(m => m.Value)).ToHashSet();
        Assert.That(names, Does.Contain("KBH_PYTHON"), "the scan found the code");
        Assert.That(names.Where(n => !Doc.Contains($"`{n}`")), Is.Empty, "KBH_ names missing from docs/settings.md");
    }
}
