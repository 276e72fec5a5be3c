using System.Text.Json;
using KernelBench.Harness.Cli;
using KernelBench.Harness.Tests.Scoring.Cache;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Cli.Commands.Cache;

/// <summary>`kbh cache info` and `kbh cache clear` on a cache that a real load_inline build filled.</summary>
[TestFixture]
[Category("Slow")]
public class CacheCommandsTests
{
    [Test]
    public async Task InfoThenClear_RealBuiltCache_ReportsEntryThenEmpties()
    {
        var root = Directory.CreateTempSubdirectory("kbh-cache-cli-").FullName;
        try
        {
            await CacheDriver.RunAsync(root, CacheDriver.SampleCandidate);

            var infoConsole = new TestConsole();
            var infoCode = await KbhApp.RunAsync(["cache", "info", "--cache", root, "--format", "json"], infoConsole);
            var info = JsonDocument.Parse(infoConsole.Output).RootElement;
            var clearConsole = new TestConsole();
            var clearCode = await KbhApp.RunAsync(["cache", "clear", "--cache", root], clearConsole);
            var textConsole = new TestConsole();
            await KbhApp.RunAsync(["cache", "info", "--cache", root], textConsole);

            Assert.That((infoCode, clearCode), Is.EqualTo((0, 0)));
            Assert.That(info.GetProperty("entries").GetInt32(), Is.EqualTo(1));
            Assert.That(info.GetProperty("bytes").GetInt64(), Is.GreaterThan(100_000), "holds the built .so");
            Assert.That(info.GetProperty("newest").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(clearConsole.Output, Does.Contain("removed 1 cached builds"));
            Assert.That(textConsole.Output, Does.Contain("entries  0"));
            Assert.That(Directory.EnumerateFileSystemEntries(root), Is.Empty);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
