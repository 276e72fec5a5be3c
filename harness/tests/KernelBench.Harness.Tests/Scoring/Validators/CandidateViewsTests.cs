using KernelBench.Harness.Scoring.Validators;

namespace KernelBench.Harness.Tests.Scoring.Validators;

[TestFixture]
public class CandidateViewsTests
{
    private const string Source = """"
        # a comment with torch.matmul
        '''Module docstring: torch.cuda.Stream()'''
        src = r"""
        __global__ void k() {} // cudaStreamCreate in a comment
        """
        x = "torch.mm"  # value
        class ModelNew(nn.Module):
            def forward(self, x,
                        y):
                return x
        def after(): pass
        """";

    [Test]
    public void Parse_MixedSource_SplitsCodeFromStringsAndDropsDocstringsAndComments()
    {
        var source = CandidateViews.Parse(Source);

        Assert.That(source.Code, Has.Length.EqualTo(Source.Length));
        Assert.That(source.Code, Does.Not.Contain("matmul").And.Not.Contain("Stream").And.Not.Contain("torch.mm"));
        Assert.That(source.Code, Does.Contain("class ModelNew"));
        Assert.That(source.Embedded, Does.Contain("__global__").And.Contain("torch.mm"));
        Assert.That(source.Embedded, Does.Not.Contain("cudaStreamCreate").And.Not.Contain("docstring"));
    }

    [Test]
    public void MethodBody_MultiLineSignature_EndsAtDedent()
    {
        var source = CandidateViews.Parse(Source);

        var body = source.MethodBody("ModelNew", "forward")!.Value;

        Assert.That(source.Code[body.Start..body.End].Trim(), Is.EqualTo("return x"));
        Assert.That(source.LineOf(body.End), Is.EqualTo(11));
    }
}
