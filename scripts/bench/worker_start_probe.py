"""Where a GPU worker's start goes (issue 4: about 4 s per lane before the GPU has work): one JSON line per stage of a
fresh process, importing what kbh_worker imports in its order and then asking CUDA what the hello asks. With N > 1,
N processes start at once, as a run's lanes do. Run on the GPU node: python3 scripts/bench/worker_start_probe.py 1 3"""
import json
import os
import subprocess
import sys
import time

STAGES = r"""
import json, os, sys, time
t0 = float(sys.argv[1]); sys.path.insert(0, sys.argv[2])
row = {"exec_s": time.time() - t0}
def stage(name, fn):
    t = time.perf_counter(); fn(); row[name] = round(time.perf_counter() - t, 3)
stage("import_torch", lambda: __import__("torch"))
stage("import_cpp_extension", lambda: __import__("torch.utils.cpp_extension"))
stage("import_worker_modules", lambda: __import__("kbh_jobs"))
import torch
if torch.cuda.is_available():
    stage("cuda_device_query", lambda: [torch.cuda.get_device_properties(i) for i in range(torch.cuda.device_count())])
    stage("first_allocation", lambda: torch.zeros(1, device="cuda"))
row["total_s"] = round(time.time() - t0, 3)
print(json.dumps(row))
"""


def main():
    worker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness", "worker")
    for n in [int(a) for a in sys.argv[1:]] or [1]:
        t0 = time.time()
        procs = [subprocess.Popen([sys.executable, "-c", STAGES, repr(t0), worker], stdout=subprocess.PIPE, text=True)
                 for _ in range(n)]
        for p in procs:
            out, _ = p.communicate()
            print(json.dumps({"at_once": n, **json.loads(out.strip().splitlines()[-1])}))


if __name__ == "__main__":
    main()
