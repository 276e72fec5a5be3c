using System.Text.Json;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// kbh_fast_fill.py in the real torch: a large float32 uniform_ drawn by the compiled loop is torch's own fill bit for
/// bit and leaves the generator where torch would; when torch's prefix differs, or the loop is turned off, torch draws.
/// </summary>
[Category("Slow")]
public class FastFillTests
{
    private const string Script = """
        import json, os, sys
        sys.path.insert(0, sys.argv[1])
        import torch, kbh_fast_fill as ff

        own = torch.Tensor.uniform_

        def compare(seed, skip, n, lo, hi, draw=own):
            # From the same state: torch's fill and the next draws after it, then the fast fill and the next draws.
            torch.manual_seed(seed)
            torch.rand(skip)
            start = torch.get_rng_state()
            expected = torch.empty(n)
            own(expected, lo, hi)
            expected_next = torch.rand(8)
            torch.set_rng_state(start)
            got = torch.full((n,), 7.0)
            fast = ff.uniform_(got, (lo, hi), {}, draw, torch.get_rng_state, torch.set_rng_state)
            got_next = torch.rand(8)
            return {"fast": fast, "identical": torch.equal(expected.view(torch.int32), got.view(torch.int32)),
                    "next_identical": torch.equal(expected_next, got_next), "untouched": bool((got == 7.0).all())}

        out = {"cases": [
            # a fresh seed (the generator regenerates first), one word into a block, the last word of a block, a
            # whole block used, deep into the stream; sizes that are no multiple of the 624-word block
            compare(42, 0, 1_000_000, -0.01, 0.01), compare(7, 1, 1_000_003, 0.0, 1.0),
            compare(3, 623, 2_000_123, -0.3, 0.7), compare(1, 624, 1_500_000, 2.5, 7.3),
            compare(9, 100_001, 1_234_567, -1 / 181, 1 / 181),
            # fewer elements than threads; one more than 64 threads' pages (every element in one part)
            compare(11, 0, 1, -1.0, 1.0)]}
        cores = ff._cores
        ff._cores = lambda: 64
        out["cases"].append(compare(12, 0, 64 * 1024 + 1, -1.0, 1.0))
        ff._cores = cores

        def other_build(tensor, lo, hi):  # as a torch whose arithmetic differs in the last bit
            own(tensor, lo, hi)
            tensor.view(torch.int32).add_(1)
            return tensor

        out["other_arithmetic"] = compare(5, 0, 1_000_000, -0.5, 0.5, other_build)
        leaf = torch.nn.Parameter(torch.zeros(1_000_000))  # outside no_grad torch refuses to fill it in place
        out["grad_leaf_left_to_torch"] = not ff.uniform_(leaf, (0.0, 1.0), {}, own, torch.get_rng_state, torch.set_rng_state)
        with torch.no_grad():
            out["grad_leaf_no_grad_fast"] = ff.uniform_(leaf, (0.0, 1.0), {}, own, torch.get_rng_state, torch.set_rng_state)
        os.environ["KBH_FAST_FILL"] = "0"
        out["turned_off"] = compare(5, 0, 1_000_000, -0.5, 0.5)
        out["stats"] = ff.stats
        print(json.dumps(out))
        """;

    [Test]
    public void LargeUniformFill_IsTorchsOwnBitForBit_ElseTorchDraws()
    {
        var r = RunWorkerScript(Script);
        var cases = r.GetProperty("cases").EnumerateArray().ToList();
        Assert.That(cases, Has.Count.EqualTo(7));
        foreach (var c in cases)
        {
            Assert.That(c.GetProperty("fast").GetBoolean(), "drawn by the compiled loop: " + c);
            Assert.That(c.GetProperty("identical").GetBoolean(), "torch's own values: " + c);
            Assert.That(c.GetProperty("next_identical").GetBoolean(), "the generator left where torch leaves it: " + c);
        }

        // A prefix that is not the loop's (another torch's arithmetic): nothing written, the generator untouched,
        // so the caller's own uniform_ draws from where it was.
        var other = r.GetProperty("other_arithmetic");
        Assert.That(other.GetProperty("fast").GetBoolean(), Is.False);
        Assert.That(other.GetProperty("untouched").GetBoolean());
        Assert.That(other.GetProperty("next_identical").GetBoolean(), Is.False,
            "the fill was not made: the next draws are the fill's first values, not what follows it");

        var off = r.GetProperty("turned_off");
        Assert.That(off.GetProperty("fast").GetBoolean(), Is.False);
        Assert.That(off.GetProperty("untouched").GetBoolean());
        // A Parameter outside no_grad is torch's to refuse; inside no_grad (as nn.init fills) it is filled.
        Assert.That(r.GetProperty("grad_leaf_left_to_torch").GetBoolean());
        Assert.That(r.GetProperty("grad_leaf_no_grad_fast").GetBoolean());
        Assert.That(r.GetProperty("stats").GetProperty("fast").GetInt32(), Is.EqualTo(8));
        Assert.That(r.GetProperty("stats").GetProperty("fallback").GetInt32(), Is.EqualTo(3));
    }
}
