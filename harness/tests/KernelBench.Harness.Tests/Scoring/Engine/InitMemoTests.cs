using System.Text.Json;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// kbh_init_memo.py in the real torch: a candidate's seeded construction gets the reference's large weight fills
/// copied in only when they are the very same fills, and then bit for bit what the CPU generator would have drawn.
/// </summary>
[Category("Slow")]
public class InitMemoTests
{
    // Reference: two large Linear layers and a large Embedding (uniform_ and normal_ fills of 2M elements each).
    private const string Script = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import torch, kbh_init_memo, kbh_load

        def layers(order):
            class M(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    for name in order:
                        setattr(self, name, {"a": lambda: torch.nn.Linear(2048, 1024), "b": lambda: torch.nn.Linear(1024, 2048),
                                             "e": lambda: torch.nn.Embedding(4096, 512)}[name]())
            return M

        memo = kbh_init_memo.InitMemo()
        kbh_load.construct_model(layers("abe"), [], 42, memo.recording())
        out = {"restored": "uniform_" not in torch.Tensor.__dict__ and "normal_" not in torch.Tensor.__dict__}
        for label, order, seed in (("same", "abe", 42), ("swapped", "bae", 42), ("other_seed", "abe", 7)):
            memo.replayed = 0
            plain = kbh_load.construct_model(layers(order), [], seed)
            next_plain = torch.rand(4)
            memoed = kbh_load.construct_model(layers(order), [], seed, memo.replaying())
            next_memoed = torch.rand(4)
            out[label] = {"replayed": memo.replayed,
                          "identical": all(torch.equal(p, q) for p, q in zip(plain.state_dict().values(), memoed.state_dict().values())),
                          "generator_after_identical": torch.equal(next_plain, next_memoed)}
        capped = kbh_init_memo.InitMemo(limit_bytes=9 << 20)  # room for the first 8 MB fill only
        kbh_load.construct_model(layers("abe"), [], 42, capped.recording())
        kbh_load.construct_model(layers("abe"), [], 42, capped.replaying())
        out["capped_replayed"] = capped.replayed
        print(json.dumps(out))
        """;

    private static JsonElement Run() => RunWorkerScript(Script);

    [Test]
    public void Replay_SameFillsFromSameState_CopiesEveryOne_BitForBit()
    {
        var r = Run();
        var same = r.GetProperty("same");
        Assert.That(same.GetProperty("replayed").GetInt32(), Is.EqualTo(3), "two Linear weights and the Embedding");
        Assert.That(same.GetProperty("identical").GetBoolean(), "the weights the generator itself draws");
        Assert.That(same.GetProperty("generator_after_identical").GetBoolean(), "the generator left where it would be");
        Assert.That(r.GetProperty("restored").GetBoolean(), "uniform_/normal_ are torch's own again");

        // Layers built in another order start from other generator states: only the Embedding, drawn after both
        // Linears as in the reference, is the same fill; every weight is still what the generator draws.
        var swapped = r.GetProperty("swapped");
        Assert.That(swapped.GetProperty("replayed").GetInt32(), Is.EqualTo(1));
        Assert.That(swapped.GetProperty("identical").GetBoolean() && swapped.GetProperty("generator_after_identical").GetBoolean());

        Assert.That(r.GetProperty("capped_replayed").GetInt32(), Is.EqualTo(1), "a memo full at its byte limit records no more");

        var otherSeed = r.GetProperty("other_seed");
        Assert.That(otherSeed.GetProperty("replayed").GetInt32(), Is.EqualTo(0));
        Assert.That(otherSeed.GetProperty("identical").GetBoolean());
    }
}
