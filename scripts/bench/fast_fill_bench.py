"""Times KernelBench's seeded CPU construction of large layers with torch's own uniform_ and with kbh_fast_fill (issue
4), on this machine's cores, and checks both give the same weights bit for bit. Prints a table.

    python3 scripts/bench/fast_fill_bench.py [WIDTH ...]        default widths 4096 8192 16384
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness", "worker"))
import torch  # noqa: E402

import kbh_fast_fill  # noqa: E402
import kbh_init_memo  # noqa: E402
import kbh_load  # noqa: E402


def construct(width, memo):
    class Model(torch.nn.Module):  # the shape of L2/55, 56, 59: one square nn.Linear
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(width, width)

    start = time.perf_counter()
    model = kbh_load.construct_model(Model, [], 42, memo.recording() if memo else None)
    return model, time.perf_counter() - start


def main(widths):
    kbh_fast_fill._load()  # built once per worker; not part of a fill
    print(f"cores {len(os.sched_getaffinity(0))}, torch {torch.__version__}\n")
    print("| nn.Linear | weights | torch's uniform_ s | kbh_fast_fill s | speed-up | same weights |")
    print("|---|---|---|---|---|---|")
    for width in widths:
        plain, t_plain = construct(width, None)
        fast, t_fast = construct(width, kbh_init_memo.InitMemo(limit_bytes=0))  # draws, records nothing
        same = all(torch.equal(a.view(torch.int32), b.view(torch.int32))
                   for a, b in zip(plain.state_dict().values(), fast.state_dict().values()))
        print(f"| {width} x {width} | {width * width / 1e6:.0f} M | {t_plain:.2f} | {t_fast:.2f} | "
              f"{t_plain / t_fast:.1f}x | {'yes' if same else 'NO'} |")
        del plain, fast
    print(f"\nfast fills {kbh_fast_fill.stats['fast']}, torch's own {kbh_fast_fill.stats['fallback']}")


if __name__ == "__main__":
    main([int(w) for w in sys.argv[1:]] or [4096, 8192, 16384])
