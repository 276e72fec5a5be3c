using System.Xml.Linq;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Architecture;

/// <summary>
/// The project graph of docs/architecture.md: results (Store, Reports) and shared types (Core) never reach Scoring,
/// so never the worker or the CUDA binding. Read from the csproj files, transitively, and from the compiled assemblies.
/// </summary>
[TestFixture]
public class ProjectReferenceTests
{
    private static readonly string Src = Path.Combine(Paths.RepoRoot, "harness", "src");

    /// <summary>Every project <paramref name="name"/> references, directly or through others (short names: "Store").</summary>
    private static HashSet<string> Reaches(string name)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>([name]);
        while (todo.TryPop(out var next))
        {
            var csproj = Path.Combine(Src, $"KernelBench.Harness.{next}", $"KernelBench.Harness.{next}.csproj");
            Assert.That(File.Exists(csproj), Is.True, csproj);
            foreach (var reference in XDocument.Load(csproj).Descendants("ProjectReference"))
            {
                var project = Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value)["KernelBench.Harness.".Length..];
                if (seen.Add(project))
                    todo.Push(project);
            }
        }
        return seen;
    }

    [TestCase("Store")]
    [TestCase("Reports")]
    [TestCase("Core")]
    [TestCase("Config")]
    public void Project_NeverReachesScoring(string project)
    {
        var reached = Reaches(project);
        Assert.That(reached, Does.Not.Contain("Scoring").And.Not.Contain("Agent").And.Not.Contain("Cli"),
            $"{project} reaches {string.Join(", ", reached)}");
    }

    [Test]
    public void CompiledAssemblies_OfStoreAndReports_DoNotReferenceScoring()
    {
        foreach (var assembly in new[] { typeof(KernelBench.Harness.Store.RunStore).Assembly, typeof(KernelBench.Harness.Reports.Model.RunInfo).Assembly })
            Assert.That(assembly.GetReferencedAssemblies().Select(a => a.Name), Does.Not.Contain("KernelBench.Harness.Scoring"), assembly.GetName().Name);
    }

    [Test]
    public void Core_DependsOnProblemsAlone()
    {
        Assert.That(Reaches("Core"), Is.EquivalentTo(new[] { "Problems" }));
    }

    [Test]
    public void TheCheck_SeesAReferenceThatIsThere()
    {
        Assert.That(Reaches("Cli"), Does.Contain("Scoring"), "the reader finds references at all");
    }
}
