using KernelBench.Harness.Tests.Scoring.Engine;

namespace KernelBench.Harness.Tests.Support;

/// <summary>
/// For tests that run `kbh` commands: KBH_PYTHON set to the Python with torch and KBH_CACHE to a folder of the test's
/// own, both put back as they were on dispose. <see cref="Variables"/> gives the same pair to a `kbh` child process.
/// </summary>
public sealed class KbhEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _saved;

    public KbhEnvironment(string cacheFolder)
    {
        Variables = new Dictionary<string, string?> { ["KBH_PYTHON"] = ScoringFixtures.Python, ["KBH_CACHE"] = cacheFolder };
        _saved = Variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (k, v) in Variables)
            Environment.SetEnvironmentVariable(k, v);
    }

    public IReadOnlyDictionary<string, string?> Variables { get; }

    public void Dispose()
    {
        foreach (var (k, v) in _saved)
            Environment.SetEnvironmentVariable(k, v);
    }
}
