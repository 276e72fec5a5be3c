using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// kbh_pinned.py in the real torch. This machine has no CUDA driver, so the driver's cuMemHostRegister and
/// cuMemHostUnregister are swapped for a recording stand-in (the module's seam); which memory is registered, within
/// which limit, that every registration is undone, and that the tensors are left as they were, are the module's own
/// logic. On the GPU node the same calls go to libcuda (results/2026-12-03-h200-session9).
/// </summary>
[Category("Slow")]
public class PinnedStagingTests
{
    private const string Script = """
        import json, os, sys
        sys.path.insert(0, sys.argv[1])
        import torch, kbh_pinned

        class Driver:  # stands in for libcuda: refuses a range that overlaps one it holds, as the driver does
            def __init__(self):
                self.held, self.calls, self.unregistered = {}, 0, []
            def register(self, ptr, nbytes):
                self.calls += 1
                if any(ptr < p + n and p < ptr + nbytes for p, n in self.held.items()):
                    return False
                self.held[ptr] = nbytes
                return True
            def unregister(self, ptr):
                self.unregistered.append(ptr)
                self.held.pop(ptr)

        class Model(torch.nn.Module):
            def __init__(self, width=1024):
                super().__init__()
                self.a = torch.nn.Linear(width, 2 * width)          # 8 MiB weight, 8 KiB bias
                self.b = torch.nn.Linear(2 * width, width).half()   # 4 MiB weight
                self.again = self.a                                 # the same submodule twice
                self.register_buffer("steps", torch.arange(10))     # small: left pageable
                self.register_buffer("table", torch.zeros(1 << 19))  # 2 MiB buffer

        out = {}
        cuda = torch.device("cuda")
        os.environ["KBH_PINNED_GIB"] = "1"
        driver = Driver()
        torch.manual_seed(0)
        model = Model()
        before = {k: (v.clone(), v.data_ptr()) for k, v in model.state_dict().items()}
        reg = kbh_pinned.register_module(model, cuda, driver)
        out["registered_bytes"] = reg.bytes
        out["expected_bytes"] = sum(t.numel() * t.element_size() for t in (model.a.weight, model.b.weight, model.table))
        out["ranges"] = len(driver.held)
        out["untouched"] = all(torch.equal(v, before[k][0]) and v.data_ptr() == before[k][1] for k, v in model.state_dict().items())
        out["registered_are_weights"] = sorted(driver.held) == sorted(t.data_ptr() for t in (model.a.weight, model.b.weight, model.table))
        # The module's tensors move on (as Module.to does) and are dropped: the registration keeps their memory alive
        # until it is released, so no freed memory is left registered.
        model = None
        out["held_until_release"] = len(reg._held) == 3
        reg.release()
        out["all_unregistered"] = not driver.held and len(driver.unregistered) == 3
        out["second_release_noop"] = (reg.release() is None) and len(driver.unregistered) == 3

        # A view overlapping a registered range (two parameters over one storage) is registered once.
        shared = torch.zeros(1 << 20)
        m = torch.nn.Module()
        m.p = torch.nn.Parameter(shared[: 1 << 19])
        m.q = torch.nn.Parameter(shared[1 << 18:])  # overlaps p
        with kbh_pinned.register_module(m, cuda, driver) as overlapping:
            out["overlap_ranges"] = len(driver.held)
        out["overlap_released"] = not driver.held

        os.environ["KBH_PINNED_GIB"] = str(4 / 1024)  # 4 MiB: smaller than the model's large tensors together
        calls = driver.calls
        out["over_limit"] = kbh_pinned.register_module(Model(), cuda, driver).bytes
        os.environ["KBH_PINNED_GIB"] = "0"
        out["off"] = kbh_pinned.register_module(Model(), cuda, driver).bytes
        out["cpu_device"] = kbh_pinned.register_module(Model(), torch.device("cpu"), driver).bytes
        out["calls_when_declined"] = driver.calls - calls

        # Kept inputs: registered seed by seed while the problem's total fits, held until release().
        os.environ["KBH_PINNED_GIB"] = str(3 * 4 / 1024)  # room for three seeds of 1 Mi floats (4 MiB each)
        seeds = [[torch.rand(1 << 20), 3] for _ in range(4)]
        for values in seeds:
            kbh_pinned.register_kept(values, cuda, driver)
        out["kept_ranges"] = len(driver.held)
        out["kept_bytes"] = kbh_pinned.kept_bytes()
        kbh_pinned.release()
        out["kept_released"] = not driver.held and kbh_pinned.kept_bytes() == 0
        os.environ["KBH_PINNED_GIB"] = "lots"
        try:
            kbh_pinned.limit_bytes()
            out["typo"] = None
        except ValueError as e:
            out["typo"] = str(e)
        print(json.dumps(out))
        """;

    [Test]
    public void RegisterModule_LocksTheLargeTensorsInPlace_OnceEach_WithinTheLimit_AndReleaseUndoesIt()
    {
        var r = RunWorkerScript(Script);
        Assert.That(r.GetProperty("registered_bytes").GetInt64(), Is.EqualTo(r.GetProperty("expected_bytes").GetInt64()).And.GreaterThan(0));
        Assert.That(r.GetProperty("ranges").GetInt32(), Is.EqualTo(3), "two weights and the large buffer; the repeated submodule once; biases and small buffers left pageable");
        Assert.That(r.GetProperty("registered_are_weights").GetBoolean());
        Assert.That(r.GetProperty("untouched").GetBoolean(), "same values, same memory: nothing is copied");
        Assert.That(r.GetProperty("held_until_release").GetBoolean(), "the registration keeps the tensors' memory alive");
        Assert.That(r.GetProperty("all_unregistered").GetBoolean());
        Assert.That(r.GetProperty("second_release_noop").GetBoolean());
        Assert.That(r.GetProperty("overlap_ranges").GetInt32(), Is.EqualTo(1), "two views over one storage: the driver would refuse the second");
        Assert.That(r.GetProperty("overlap_released").GetBoolean(), "leaving the with-block releases it");

        Assert.That(r.GetProperty("over_limit").GetInt64(), Is.Zero, "a model larger than KBH_PINNED_GIB stays pageable");
        Assert.That(r.GetProperty("off").GetInt64(), Is.Zero, "KBH_PINNED_GIB=0 turns it off");
        Assert.That(r.GetProperty("cpu_device").GetInt64(), Is.Zero, "nothing is registered for a CPU check");
        Assert.That(r.GetProperty("calls_when_declined").GetInt32(), Is.Zero);
    }

    [Test]
    public void RegisterKept_HoldsSeedsWhileTheyFit_UntilRelease_TypoNamesTheVariable()
    {
        var r = RunWorkerScript(Script);
        Assert.That(r.GetProperty("kept_ranges").GetInt32(), Is.EqualTo(3), "three seeds fit; the fourth stays pageable");
        Assert.That(r.GetProperty("kept_bytes").GetInt64(), Is.EqualTo(3L * 4 * (1 << 20)));
        Assert.That(r.GetProperty("kept_released").GetBoolean(), "moving to another problem unregisters them");
        Assert.That(r.GetProperty("typo").GetString(), Does.Contain("KBH_PINNED_GIB").And.Contain("'lots'"));
    }
}
