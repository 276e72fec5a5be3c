using System.Text.Json;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// kbh_pinned.py in the real torch. This machine has no CUDA, so page-locked allocation is swapped for a recording
/// one (its seam); what is staged, within which limit, and that the values and tensor objects are unchanged, are the
/// module's own logic. On the GPU node the same calls allocate page-locked memory (results/, session 9).
/// </summary>
[Category("Slow")]
public class PinnedStagingTests
{
    private const string Script = """
        import json, os, sys
        sys.path.insert(0, sys.argv[1])
        import torch, kbh_pinned

        allocated = []
        def allocate(like):  # stands in for torch.empty(..., pin_memory=True)
            allocated.append(like.numel() * like.element_size())
            return torch.full(like.size(), float("nan"), dtype=like.dtype) if like.is_floating_point() else torch.empty_like(like)

        class Tied(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.a = torch.nn.Linear(256, 512)
                self.b = torch.nn.Linear(512, 256)
                self.b.weight = torch.nn.Parameter(self.a.weight.t().contiguous())
                self.again = self.a  # the same submodule twice: its tensors are staged once
                self.register_buffer("steps", torch.arange(10))

        out = {}
        torch.manual_seed(0)
        model = Tied()
        before = {k: v.clone() for k, v in model.state_dict().items()}
        ids = {k: id(v) for k, v in model.named_parameters()}
        cuda = torch.device("cuda")
        os.environ["KBH_PINNED_GIB"] = "1"
        out["staged"] = kbh_pinned.stage_module(model, cuda, allocate)
        out["expected"] = sum(t.numel() * t.element_size() for t in list(model.parameters()) + list(model.buffers()))
        out["allocations"] = len(allocated)
        out["same_values"] = all(torch.equal(before[k], v) for k, v in model.state_dict().items())
        out["same_objects"] = all(id(v) == ids[k] for k, v in model.named_parameters())
        out["still_parameters"] = all(isinstance(p, torch.nn.Parameter) and p.requires_grad for p in model.parameters())

        allocated.clear()
        os.environ["KBH_PINNED_GIB"] = str(100_000 / (1 << 30))  # 100 kB: smaller than the model
        out["over_limit"] = kbh_pinned.stage_module(Tied(), cuda, allocate)
        os.environ["KBH_PINNED_GIB"] = "0"
        out["off"] = kbh_pinned.stage_module(Tied(), cuda, allocate)
        out["cpu_device"] = kbh_pinned.stage_module(Tied(), torch.device("cpu"))
        out["allocations_when_declined"] = len(allocated)

        # Kept inputs: staged while the problem's total fits, then kept as they are; release() starts a new total.
        os.environ["KBH_PINNED_GIB"] = str(3 * 4 * 10_000 / (1 << 30))  # room for three seeds of 10,000 floats
        seeds = [[torch.rand(10_000), 3] for _ in range(4)]
        kept = [kbh_pinned.stage_kept(v, cuda, allocate) for v in seeds]
        out["kept_copied"] = [k[0] is not v[0] for k, v in zip(kept, seeds)]
        out["kept_values"] = all(torch.equal(k[0], v[0]) and k[1] == 3 for k, v in zip(kept, seeds))
        kbh_pinned.release()
        out["after_release"] = kbh_pinned.stage_kept(seeds[3], cuda, allocate)[0] is not seeds[3][0]
        os.environ["KBH_PINNED_GIB"] = "lots"
        try:
            kbh_pinned.limit_bytes()
            out["typo"] = None
        except ValueError as e:
            out["typo"] = str(e)
        print(json.dumps(out))
        """;

    [Test]
    public void StageModule_CopiesEachTensorOnce_KeepsValuesAndObjects_WithinTheLimitOnly()
    {
        var r = RunWorkerScript(Script);
        Assert.That(r.GetProperty("staged").GetInt64(), Is.EqualTo(r.GetProperty("expected").GetInt64()).And.GreaterThan(0));
        Assert.That(r.GetProperty("allocations").GetInt32(), Is.EqualTo(5), "a.weight, a.bias, b.weight, b.bias, steps: the repeated submodule once");
        Assert.That(r.GetProperty("same_values").GetBoolean(), "the weights' bytes are unchanged");
        Assert.That(r.GetProperty("same_objects").GetBoolean(), "a candidate holding a parameter still holds the staged one");
        Assert.That(r.GetProperty("still_parameters").GetBoolean());

        Assert.That(r.GetProperty("over_limit").GetInt64(), Is.Zero, "a model larger than KBH_PINNED_GIB stays pageable");
        Assert.That(r.GetProperty("off").GetInt64(), Is.Zero, "KBH_PINNED_GIB=0 turns staging off");
        Assert.That(r.GetProperty("cpu_device").GetInt64(), Is.Zero, "nothing is staged for a CPU check");
        Assert.That(r.GetProperty("allocations_when_declined").GetInt32(), Is.Zero);
    }

    [Test]
    public void StageKept_StagesSeedsUntilTheProblemsLimit_ReleaseStartsAgain_TypoNamesTheVariable()
    {
        var r = RunWorkerScript(Script);
        var copied = r.GetProperty("kept_copied").EnumerateArray().Select(e => e.GetBoolean()).ToList();
        Assert.That(copied, Is.EqualTo(new[] { true, true, true, false }), "three seeds fit; the fourth stays where it is");
        Assert.That(r.GetProperty("kept_values").GetBoolean(), "inputs unchanged, non-tensors passed through");
        Assert.That(r.GetProperty("after_release").GetBoolean(), "another problem's inputs start a new total");
        Assert.That(r.GetProperty("typo").GetString(), Does.Contain("KBH_PINNED_GIB").And.Contain("'lots'"));
    }
}
