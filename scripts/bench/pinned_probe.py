"""How a large CPU weight tensor is best moved to the GPU (kbh_pinned, issue 4): seconds for a pageable copy, for
page-locking fresh memory and copying from it, and for registering the tensor's own pages in place (cudaHostRegister)
and copying from them. Prints one JSON line per size. Run on the GPU node: python3 scripts/bench/pinned_probe.py 1 4"""
import json
import sys
import time

import torch


def clock(fn):
    torch.cuda.synchronize()
    t = time.perf_counter()
    out = fn()
    torch.cuda.synchronize()
    return time.perf_counter() - t, out


def probe(gib):
    n = int(gib * (1 << 30)) // 4
    row = {"gib": gib}
    src = torch.empty(n)
    row["fill_s"], _ = clock(lambda: src.uniform_())
    row["pageable_copy_s"], dev = clock(lambda: src.to("cuda"))
    del dev
    row["lock_fresh_s"], pinned = clock(lambda: torch.empty(n, pin_memory=True))
    row["copy_into_locked_s"], _ = clock(lambda: pinned.copy_(src))
    row["locked_copy_s"], dev = clock(lambda: pinned.to("cuda"))
    del dev, pinned
    cudart = torch.cuda.cudart()
    nbytes = n * 4
    row["register_s"], rc = clock(lambda: cudart.cudaHostRegister(src.data_ptr(), nbytes, 0))
    row["register_rc"] = int(rc) if not isinstance(rc, tuple) else int(rc[0])
    row["registered_copy_s"], dev = clock(lambda: src.to("cuda"))
    equal = bool(torch.equal(dev.cpu(), src))
    row["registered_copy_equal"] = equal
    del dev
    row["unregister_s"], _ = clock(lambda: cudart.cudaHostUnregister(src.data_ptr()))
    return row


if __name__ == "__main__":
    torch.zeros(1, device="cuda")
    print(json.dumps({"torch": torch.__version__, "gpu": torch.cuda.get_device_name(0)}))
    for arg in sys.argv[1:]:
        print(json.dumps(probe(float(arg))), flush=True)
