"""Times KernelBench's seeded CPU construction of large layers with torch's own uniform_ and with kbh_fast_fill (issue
4), and large torch.randn inputs serially and under kbh_init_memo.fast_draws() (parts drawn by torch at once), on this
machine's cores; checks both give the same values bit for bit. Prints two tables.

    python3 scripts/bench/fast_fill_bench.py [WIDTH ...] [--inputs MVALUES ...]
        default widths 4096 8192 16384, inputs 64 256 (millions of values)
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness", "worker"))
import torch  # noqa: E402

import kbh_fast_fill  # noqa: E402
import kbh_init_memo  # noqa: E402
import kbh_load  # noqa: E402


def replay(width, memo):
    return construct(width, memo, replaying=True)


def construct(width, memo, replaying=False):
    class Model(torch.nn.Module):  # the shape of L2/55, 56, 59: one square nn.Linear
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(width, width)

    start = time.perf_counter()
    context = (memo.replaying() if replaying else memo.recording()) if memo else None
    model = kbh_load.construct_model(Model, [], 42, context)
    return model, time.perf_counter() - start


def draw_inputs(values, fast):
    torch.manual_seed(42)
    start = time.perf_counter()
    if fast:
        with kbh_init_memo.fast_draws():
            x = torch.randn(values // 4096, 4096)
    else:
        x = torch.randn(values // 4096, 4096)
    return x, time.perf_counter() - start


def main(widths, inputs):
    kbh_fast_fill._load()  # built once per worker; not part of a fill
    print(f"cores {len(os.sched_getaffinity(0))}, torch {torch.__version__}\n")
    print("| nn.Linear | weights | torch's uniform_ s | kbh_fast_fill s | speed-up | same weights "
          "| fast, recorded for replay s | a candidate's replay s |")
    print("|---|---|---|---|---|---|---|---|")
    for width in widths:
        plain, t_plain = construct(width, None)
        fast, t_fast = construct(width, kbh_init_memo.InitMemo(limit_bytes=0))  # draws, records nothing
        same = all(torch.equal(a.view(torch.int32), b.view(torch.int32))
                   for a, b in zip(plain.state_dict().values(), fast.state_dict().values()))
        del fast
        memo = kbh_init_memo.InitMemo()  # as the worker constructs a reference: the fills kept for the candidates
        recorded, t_recorded = construct(width, memo)
        del recorded
        replayed, t_replay = replay(width, memo)
        print(f"| {width} x {width} | {width * width / 1e6:.0f} M | {t_plain:.2f} | {t_fast:.2f} | "
              f"{t_plain / t_fast:.1f}x | {'yes' if same else 'NO'} | {t_recorded:.2f} | {t_replay:.2f} |")
        del plain, replayed, memo
    print(f"\nfast fills {kbh_fast_fill.stats['fast']}, torch's own {kbh_fast_fill.stats['fallback']}")
    print("\n| torch.randn | values | serial s | fast_draws s | speed-up | same values |")
    print("|---|---|---|---|---|---|")
    for millions in inputs:
        values = millions * (1 << 20)
        plain, t_plain = draw_inputs(values, False)
        fast, t_fast = draw_inputs(values, True)
        same = torch.equal(plain.view(torch.int32), fast.view(torch.int32))
        print(f"| {values // 4096} x 4096 | {values / 1e6:.0f} M | {t_plain:.2f} | {t_fast:.2f} | "
              f"{t_plain / t_fast:.1f}x | {'yes' if same else 'NO'} |")
        del plain, fast
    print(f"\nparallel fills {kbh_fast_fill.parallel_stats}")


if __name__ == "__main__":
    args = sys.argv[1:]
    split = args.index("--inputs") if "--inputs" in args else len(args)
    main([int(w) for w in args[:split]] or [4096, 8192, 16384], [int(m) for m in args[split + 1:]] or [64, 256])
