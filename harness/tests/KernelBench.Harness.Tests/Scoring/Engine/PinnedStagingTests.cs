using System.Text.Json;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// kbh_pinned.py in the real torch. This machine has no CUDA, so the arenas' page-locked allocation is swapped for a
/// recording one (their seam); what is staged, within which limit, how often memory is locked, and that the values and
/// tensor objects are unchanged, are the module's own logic. On the GPU node the same calls lock memory (results/,
/// session 9).
/// </summary>
[Category("Slow")]
public class PinnedStagingTests
{
    private const string Script = """
        import json, os, sys
        sys.path.insert(0, sys.argv[1])
        import torch, kbh_pinned

        locked = []
        def allocate(n):  # stands in for page-locked memory (torch.empty(n, pin_memory=True))
            locked.append(n)
            return torch.full((n,), 0xAB, dtype=torch.uint8)

        class Tied(torch.nn.Module):
            def __init__(self, width=256):
                super().__init__()
                self.a = torch.nn.Linear(width, 2 * width)
                self.b = torch.nn.Linear(2 * width, width).half()
                self.again = self.a  # the same submodule twice: its tensors are staged once
                self.register_buffer("steps", torch.arange(10))

        kbh_pinned._GRAIN = 1 << 20  # arenas grow in MiB here, not 256 MiB
        out = {}
        cuda = torch.device("cuda")
        weights = kbh_pinned.Arena(allocate)
        os.environ["KBH_PINNED_GIB"] = "1"
        torch.manual_seed(0)
        model = Tied()
        before = {k: v.clone() for k, v in model.state_dict().items()}
        ids = {k: id(v) for k, v in model.named_parameters()}
        out["staged"] = kbh_pinned.stage_module(model, cuda, weights)
        out["expected"] = sum(t.numel() * t.element_size() for t in list(model.parameters()) + list(model.buffers()))
        out["same_values"] = all(torch.equal(before[k], v) and v.dtype == before[k].dtype for k, v in model.state_dict().items())
        out["same_objects"] = all(id(v) == ids[k] for k, v in model.named_parameters())
        out["still_parameters"] = all(isinstance(p, torch.nn.Parameter) and p.requires_grad for p in model.parameters())
        out["in_arena"] = all(t.untyped_storage().data_ptr() == weights._buffer.data_ptr() if hasattr(t, "untyped_storage")
                              else t.storage().data_ptr() == weights._buffer.data_ptr()
                              for t in list(model.parameters()) + list(model.buffers()))
        out["aligned"] = all((t.data_ptr() - weights._buffer.data_ptr()) % 512 == 0 for t in model.parameters())
        # The next job's model (another problem, smaller) reuses the locked buffer: nothing more is locked.
        second = Tied(128)
        out["second_staged"] = kbh_pinned.stage_module(second, cuda, weights) > 0
        out["locks_after_two_jobs"] = len(locked)
        # A larger one grows the arena once.
        out["third_staged"] = kbh_pinned.stage_module(Tied(2048), cuda, weights) > 0
        out["locks_after_growth"] = len(locked)

        os.environ["KBH_PINNED_GIB"] = str(100_000 / (1 << 30))  # 100 kB: smaller than the model
        out["over_limit"] = kbh_pinned.stage_module(Tied(), cuda, kbh_pinned.Arena(allocate))
        os.environ["KBH_PINNED_GIB"] = "0"
        out["off"] = kbh_pinned.stage_module(Tied(), cuda, kbh_pinned.Arena(allocate))
        out["cpu_device"] = kbh_pinned.stage_module(Tied(), torch.device("cpu"))
        out["locks_when_declined"] = len(locked) - out["locks_after_growth"]

        # Kept inputs: the arena grows once for the problem's seeds; seeds beyond the limit stay as they are.
        inputs = kbh_pinned.Arena(allocate)
        locked.clear()
        os.environ["KBH_PINNED_GIB"] = str(3 * 40_960 / (1 << 30))  # room for three seeds of 10,240 floats
        seeds = [[torch.rand(10_240), 3] for _ in range(4)]
        kept = [kbh_pinned.stage_kept(v, cuda, seeds=2, arena=inputs) for v in seeds]
        out["kept_copied"] = [k[0] is not v[0] for k, v in zip(kept, seeds)]
        out["kept_values"] = all(torch.equal(k[0], v[0]) and k[1] == 3 for k, v in zip(kept, seeds))
        out["kept_locks"] = len(locked)
        inputs.reset()  # what release() does to the worker's own arena: the next problem starts at the front
        again = kbh_pinned.stage_kept(seeds[3], cuda, arena=inputs)
        out["after_reset"] = again[0] is not seeds[3][0] and torch.equal(again[0], seeds[3][0])
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
        Assert.That(r.GetProperty("same_values").GetBoolean(), "the weights' bytes and dtypes (float32, float16, int64) are unchanged");
        Assert.That(r.GetProperty("same_objects").GetBoolean(), "a candidate holding a parameter still holds the staged one");
        Assert.That(r.GetProperty("still_parameters").GetBoolean());
        Assert.That(r.GetProperty("in_arena").GetBoolean(), "every tensor lives in the one locked buffer");
        Assert.That(r.GetProperty("aligned").GetBoolean());
        Assert.That(r.GetProperty("second_staged").GetBoolean());
        Assert.That(r.GetProperty("locks_after_two_jobs").GetInt32(), Is.EqualTo(1), "the second job reuses the locked buffer");
        Assert.That(r.GetProperty("third_staged").GetBoolean());
        Assert.That(r.GetProperty("locks_after_growth").GetInt32(), Is.EqualTo(2), "a larger model grows it once");

        Assert.That(r.GetProperty("over_limit").GetInt64(), Is.Zero, "a model larger than KBH_PINNED_GIB stays pageable");
        Assert.That(r.GetProperty("off").GetInt64(), Is.Zero, "KBH_PINNED_GIB=0 turns staging off");
        Assert.That(r.GetProperty("cpu_device").GetInt64(), Is.Zero, "nothing is staged for a CPU check");
        Assert.That(r.GetProperty("locks_when_declined").GetInt32(), Is.Zero);
    }

    [Test]
    public void StageKept_LocksOnceForTheSeeds_KeepsWhatDoesNotFitPageable_ResetStartsAgain_TypoNamesTheVariable()
    {
        var r = RunWorkerScript(Script);
        var copied = r.GetProperty("kept_copied").EnumerateArray().Select(e => e.GetBoolean()).ToList();
        Assert.That(copied, Is.EqualTo(new[] { true, true, true, false }), "three seeds fit; the fourth stays where it is");
        Assert.That(r.GetProperty("kept_values").GetBoolean(), "inputs unchanged, non-tensors passed through");
        Assert.That(r.GetProperty("kept_locks").GetInt32(), Is.EqualTo(1), "locked once, at the first seed (room for two, rounded up to the grain and so to the limit: three fit)");
        Assert.That(r.GetProperty("after_reset").GetBoolean(), "another problem's inputs start at the front, same values");
        Assert.That(r.GetProperty("typo").GetString(), Does.Contain("KBH_PINNED_GIB").And.Contain("'lots'"));
    }
}
