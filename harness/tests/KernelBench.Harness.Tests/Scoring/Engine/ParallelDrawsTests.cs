using System.Text.Json;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// kbh_fast_fill.parallel_ and kbh_init_memo's torch.randn/rand in the real torch: a large float32 normal_/uniform_
/// split into parts that torch fills at once is torch's serial fill bit for bit and leaves the generator where it
/// would; a torch whose parts do not join up is redrawn serially; KernelBench-style get_inputs() under fast_draws()
/// gives the inputs it gives without it.
/// </summary>
[Category("Slow")]
public class ParallelDrawsTests
{
    private const string Script = """
        import json, os, sys
        sys.path.insert(0, sys.argv[1])
        import torch, kbh_fast_fill as ff, kbh_init_memo, kbh_load

        ff._PART_MIN = 1 << 12  # parts of 4096 values, so small fills are split as a worker's big ones are
        own = {"normal_": torch.Tensor.normal_, "uniform_": torch.Tensor.uniform_}
        builtin = (torch.randn, torch.rand)

        def compare(name, seed, skip, n, args, cores, fill=None):
            # From the same state: torch's serial fill and the next draws after it, then the parallel one and its next.
            fill = fill or own[name]
            ff._cores = lambda: cores
            torch.manual_seed(seed)
            torch.rand(skip)
            start = torch.get_rng_state()
            expected = torch.empty(n)
            fill(expected, *args)
            expected_next = torch.rand(8)
            torch.set_rng_state(start)
            got = torch.full((n,), 7.0)
            done = ff.parallel_(got, name, args, {}, fill, torch.get_rng_state, torch.set_rng_state)
            got_next = torch.rand(8)
            return {"done": done, "parts": len(ff._parts(n, cores)),
                    "identical": torch.equal(expected.view(torch.int32), got.view(torch.int32)),
                    "next_identical": torch.equal(expected_next, got_next), "untouched": bool((got == 7.0).all())}

        cases = []
        for name, args in (("normal_", (0.0, 1.0)), ("normal_", (2.0, 0.5)), ("uniform_", (-0.1, 0.3))):
            # a fresh seed, one word into a block, the block's last word, a whole block used, deep in the stream;
            # sizes that are no multiple of 16 (normal_ redraws the last 16) or of 624; 2 to 8 parts
            cases += [compare(name, 42, 0, 100_000, args, 4), compare(name, 7, 1, 100_003, args, 3),
                      compare(name, 3, 623, 4096 * 5 + 7, args, 5), compare(name, 1, 624, 50_001, args, 8),
                      compare(name, 9, 100_001, 123_457, args, 2),
                      compare(name, 5, 0, 2 * 4096 + 5, args, 3)]  # a 5-value tail joins the part before it
        out = {"cases": cases, "tail_parts": ff._parts(2 * 4096 + 5, 3)}

        def two_words(tensor, *args, generator=None):  # a torch that spends two words a value: parts cannot join
            own["normal_"](tensor, *args, generator=generator)
            torch.rand(tensor.numel(), generator=generator)
            return tensor

        out["other_torch"] = compare("normal_", 4, 0, 100_000, (0.0, 1.0), 4, two_words)
        out["after_other_torch"] = compare("normal_", 4, 0, 100_000, (0.0, 1.0), 4)  # off for normal_ from then on
        out["uniform_still_on"] = compare("uniform_", 4, 0, 100_000, (0.0, 1.0), 4)
        out["one_core"] = compare("uniform_", 4, 0, 100_000, (0.0, 1.0), 1)
        os.environ["KBH_FAST_FILL"] = "0"
        out["turned_off"] = compare("uniform_", 4, 0, 100_000, (0.0, 1.0), 4)
        os.environ["KBH_FAST_FILL"] = "1"
        out["stats"] = dict(ff.parallel_stats)
        ff._cores = lambda: 4  # the memo's copies in parts: every element, in place, whatever the size
        source = torch.randn(3 * 4096 + 11)
        out["copy_parts"] = len(ff._parts(source.numel(), 4))
        out["copy_identical"] = torch.equal(ff.copy_into(torch.empty_like(source), source), source)

        # KernelBench's get_inputs(): torch.randn/rand in every form it uses, with and without fast_draws().
        ff._parallel_off.clear()
        ff._cores = lambda: 4
        kbh_init_memo._MIN_NUMEL = 1 << 12
        def get_inputs():
            return [torch.randn(64, 4096), torch.randn((3, 5000)), torch.rand(torch.Size([2, 9000])),
                    torch.randn(128, 64, requires_grad=True), torch.randn(7), torch.randn(2, 5000, dtype=torch.float64),
                    torch.randint(0, 10, (100,)), torch.randn(4, 4096, device="cpu")]
        torch.manual_seed(3)
        expected = get_inputs() + [torch.rand(5)]
        torch.manual_seed(3)
        before = dict(ff.parallel_stats)
        with kbh_init_memo.fast_draws():
            got = get_inputs()
        got.append(torch.rand(5))
        out["inputs_identical"] = [torch.equal(a.detach(), b.detach()) for a, b in zip(expected, got)]
        out["inputs_grad"] = got[3].requires_grad and got[3].is_leaf
        out["inputs_parallel"] = ff.parallel_stats["parallel"] - before["parallel"]
        out["creators_restored"] = (torch.randn, torch.rand) == builtin

        # A model whose __init__ draws nn.Parameter(torch.randn(...)): remembered for the reference, replayed for a
        # candidate; a candidate that replaces torch.randn while it is constructed keeps its replacement (the guard
        # names it), and the reference's generator steps are the same as without the memo.
        class M(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.w = torch.nn.Parameter(torch.randn(256, 1024))
                self.b = torch.nn.Parameter(torch.randn(300))
        memo = kbh_init_memo.InitMemo()
        plain = kbh_load.construct_model(M, [], 11)
        reference = kbh_load.construct_model(M, [], 11, memo.recording())
        candidate = kbh_load.construct_model(M, [], 11, memo.replaying())
        out["param_identical"] = torch.equal(plain.w, reference.w) and torch.equal(plain.w, candidate.w) \
            and torch.equal(plain.b, candidate.b)
        out["param_replayed"] = memo.replayed
        saved = torch.randn
        class Cheat(torch.nn.Module):
            def __init__(self):
                super().__init__()
                torch.randn = lambda *a, **k: torch.zeros(*a)
        kbh_load.construct_model(Cheat, [], 11, memo.replaying())
        out["cheat_kept"] = torch.randn is not saved and torch.randn(2).abs().sum().item() == 0
        torch.randn = saved
        print(json.dumps(out))
        """;

    [Test]
    public void ParallelFill_IsTorchsSerialFill_BitForBit_ElseRedrawnSerially()
    {
        var r = RunWorkerScript(Script);
        var cases = r.GetProperty("cases").EnumerateArray().ToList();
        Assert.That(cases, Has.Count.EqualTo(18));
        foreach (var c in cases)
        {
            Assert.That(c.GetProperty("done").GetBoolean(), "filled in parts: " + c);
            Assert.That(c.GetProperty("parts").GetInt32(), Is.GreaterThanOrEqualTo(2), c.ToString());
            Assert.That(c.GetProperty("identical").GetBoolean(), "torch's serial values: " + c);
            Assert.That(c.GetProperty("next_identical").GetBoolean(), "the generator left where torch leaves it: " + c);
        }
        Assert.That(r.GetProperty("tail_parts").EnumerateArray().Select(p => p[1].GetInt32() - p[0].GetInt32()),
            Is.EqualTo(new[] { 4096, 4096 + 5 }), "a part shorter than 16 values is never filled on its own");

        // Parts that do not join up (a torch spending two words a value): the fill is torch's serial one after all.
        var other = r.GetProperty("other_torch");
        Assert.That(other.GetProperty("done").GetBoolean() && other.GetProperty("identical").GetBoolean()
                    && other.GetProperty("next_identical").GetBoolean(), other.ToString());
        var after = r.GetProperty("after_other_torch");
        Assert.That(after.GetProperty("done").GetBoolean(), Is.False, "normal_ stays serial in that process");
        Assert.That(after.GetProperty("untouched").GetBoolean());
        Assert.That(r.GetProperty("uniform_still_on").GetProperty("done").GetBoolean());
        Assert.That(r.GetProperty("one_core").GetProperty("done").GetBoolean(), Is.False);
        Assert.That(r.GetProperty("turned_off").GetProperty("done").GetBoolean(), Is.False);
        Assert.That(r.GetProperty("turned_off").GetProperty("untouched").GetBoolean());
        Assert.That(r.GetProperty("copy_parts").GetInt32(), Is.EqualTo(3));
        Assert.That(r.GetProperty("copy_identical").GetBoolean(), "kbh_fast_fill.copy_into copies every element");
        var stats = r.GetProperty("stats");
        Assert.That(stats.GetProperty("parallel").GetInt32(), Is.EqualTo(19));
        Assert.That(stats.GetProperty("redrawn").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void FastDraws_AroundGetInputs_GiveKernelBenchsInputs_AndMemoReplaysRandnParameters()
    {
        var r = RunWorkerScript(Script);
        Assert.That(r.GetProperty("inputs_identical").EnumerateArray().Select(e => e.GetBoolean()),
            Is.All.True, "every input, and the generator after them, as without fast_draws()");
        Assert.That(r.GetProperty("inputs_grad").GetBoolean(), "requires_grad=True still gives a leaf that requires grad");
        Assert.That(r.GetProperty("inputs_parallel").GetInt32(), Is.EqualTo(4),
            "the four large float32 draws (randn 64x4096, 3x5000, 128x64 and 4x4096) in parts; rand went to the compiled loop");
        Assert.That(r.GetProperty("creators_restored").GetBoolean());
        Assert.That(r.GetProperty("param_identical").GetBoolean());
        Assert.That(r.GetProperty("param_replayed").GetInt32(), Is.EqualTo(1), "the 256x1024 torch.randn Parameter");
        Assert.That(r.GetProperty("cheat_kept").GetBoolean(), "a candidate's own torch.randn is left for the guard");
    }
    [Test]
    public void HostCores_PartsDrawnOnTheHostCores_CallerBackOnItsOwn_SameValues()
    {
        if (Environment.ProcessorCount < 2)
            Assert.Ignore("needs two cores");
        var r = RunWorkerScript("""
            import json, os, sys
            sys.path.insert(0, sys.argv[1])
            own = {min(os.sched_getaffinity(0))}
            os.sched_setaffinity(0, own)  # as the harness pins a GPU worker, before torch starts its threads
            import torch, kbh_fast_fill as ff
            host = sorted(os.sched_getaffinity(0) | set(range(os.cpu_count())))
            ff._PART_MIN = 1 << 12
            ff.use_host_cores(host)
            normal, seen = torch.Tensor.normal_, []

            def spy(t, *args, generator=None):  # torch's own fill of one part, noting the cores its thread may use
                seen.append(sorted(os.sched_getaffinity(0)))
                return normal(t, *args, generator=generator)

            torch.manual_seed(42)
            expected = normal(torch.empty(100_000), 0.0, 1.0)
            torch.manual_seed(42)
            got = torch.empty(100_000)
            done = ff.parallel_(got, "normal_", (0.0, 1.0), {}, spy, torch.get_rng_state, torch.set_rng_state)
            print(json.dumps({"done": done, "host": host, "seen": seen, "after": sorted(os.sched_getaffinity(0)),
                              "own": sorted(own), "identical": torch.equal(expected, got)}))
            """);

        Assert.That(r.GetProperty("done").GetBoolean() && r.GetProperty("identical").GetBoolean(), Is.True, r.ToString());
        var host = r.GetProperty("host").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var seen = r.GetProperty("seen").EnumerateArray().Select(a => a.EnumerateArray().Select(e => e.GetInt32()).ToList()).ToList();
        Assert.That(seen, Has.Count.EqualTo(host.Count), "one part per host core");
        Assert.That(seen, Has.All.EqualTo(host), "every part's thread, the caller's included, on the host cores");
        Assert.That(r.GetProperty("after").ToString(), Is.EqualTo(r.GetProperty("own").ToString()), "the caller is back on its own core");
    }
}
