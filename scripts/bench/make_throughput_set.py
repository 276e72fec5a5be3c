"""Writes the throughput benchmark's candidate set (issue 4): one load_inline candidate per problem below, plus two
exact duplicates (a second sample with the same source, as a model often answers), in KernelBench's run layout
(level_L_problem_P_sample_S_kernel.py).

Each candidate is the problem's own reference computation (its PyTorch ops, as a method of ModelNew) followed by one small elementwise CUDA kernel (an exact copy of
the output, block size varied per candidate), so every candidate builds one real single-kernel extension and is
correct by construction: the set measures the judging pipeline (builds, loads, checks, timing), not kernel quality.
Half of them share one extension name and bindings (as model answers often do), so a per-object cache has something
to find; the other half have names of their own. With --cpu the kernels are C++ (for a dry run without a GPU).

With --attempts K every problem gets K samples instead, as a closed loop's attempts at one problem: sample s > 0 is
sample 0 with a comment of its own (another candidate to judge, the same extension sources, so a warm cache builds
nothing and the problem's reference is made once for all K).

    python3 make_throughput_set.py KERNELBENCH_DIR OUT_DIR [--cpu] [--only L/P,L/P,...] [--attempts K]
"""
import os
import re
import sys

PROBLEMS = [(1, 1), (1, 7), (1, 9), (1, 10), (1, 12), (1, 13), (1, 40), (1, 88),
            (2, 12), (2, 14), (2, 29), (2, 55), (2, 56), (2, 59), (2, 63), (2, 68), (2, 76), (2, 86),
            (3, 1), (3, 2), (3, 3), (3, 4), (3, 8), (3, 19)]
DUPLICATES = [(2, 12), (3, 1)]  # judged twice: sample 1 is sample 0's exact source

CUDA = r'''
#include <torch/extension.h>

__global__ void copy_out_kernel_THREADS(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (; i < n; i += stride) y[i] = x[i];
}

torch::Tensor epilogue(torch::Tensor x) {
    TORCH_CHECK(x.is_cuda() && x.scalar_type() == torch::kFloat32, "epilogue: float32 CUDA tensor expected");
    auto xc = x.contiguous();
    auto y = torch::empty_like(xc);
    int64_t n = xc.numel();
    const int threads = THREADS;
    int blocks = (int)std::min<int64_t>((n + threads - 1) / threads, 65535 * 8);
    if (n > 0) copy_out_kernel_THREADS<<<blocks, threads>>>(xc.data_ptr<float>(), y.data_ptr<float>(), n);
    return y;
}
'''

CPP = r'''
#include <torch/extension.h>

torch::Tensor epilogue(torch::Tensor x) {
    auto xc = x.contiguous();
    auto y = torch::empty_like(xc);
    const float* in = xc.data_ptr<float>();
    float* out = y.data_ptr<float>();
    const int64_t chunk = THREADS;
    for (int64_t s = 0; s < xc.numel(); s += chunk)
        for (int64_t i = s; i < std::min(s + chunk, xc.numel()); ++i) out[i] = in[i];
    return y;
}
'''

TEMPLATE = '''# Throughput-benchmark candidate for KernelBench L{level}/{pid}: the reference forward, then one {kind} kernel.
import torch
import torch.nn as nn
from torch.utils.cpp_extension import load_inline

_kernel = r"""{kernel}"""

_ext = load_inline(name="{ext_name}", cpp_sources="torch::Tensor epilogue(torch::Tensor x);",
                   {sources}=_kernel, functions=["epilogue"], verbose=False)

# ---- the problem's reference, as KernelBench ships it (its Model renamed) ----
{reference}
# ---- end of the reference ----


class ModelNew(_KbhReference):
    def forward(self, *args):
        return _ext.epilogue(self._torch_ops(*args))
'''


def candidate(kb, level, pid, index, cpu):
    folder = os.path.join(kb, "KernelBench", f"level{level}")
    name = next(f for f in os.listdir(folder) if f.startswith(f"{pid}_") and f.endswith(".py"))
    with open(os.path.join(folder, name)) as f:
        reference = re.sub(r"\bModel\b", "_KbhReference", f.read())
    # Its forward becomes the candidate's PyTorch part (calling the reference's forward is a code bypass).
    reference = re.sub(r"\bdef forward\(", "def _torch_ops(", reference, count=1)
    threads = (128, 256, 512, 1024)[index % 4] if not cpu else 1024 * (1 + index % 4)
    kernel = (CPP if cpu else CUDA).replace("THREADS", str(threads))
    shared = index % 2 == 0
    return TEMPLATE.format(level=level, pid=pid, kind="C++" if cpu else "CUDA", kernel=kernel,
                           ext_name="kbh_epilogue" if shared else f"kbh_epilogue_l{level}_{pid}",
                           sources="cpp_sources" if cpu else "cuda_sources", reference=reference)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    kb, out, cpu = argv[1], argv[2], "--cpu" in argv
    only = None
    if "--only" in argv:
        only = {tuple(int(x) for x in p.split("/")) for p in argv[argv.index("--only") + 1].split(",")}
    attempts = int(argv[argv.index("--attempts") + 1]) if "--attempts" in argv else None
    os.makedirs(out, exist_ok=True)
    n = 0
    for index, (level, pid) in enumerate(PROBLEMS):
        if only and (level, pid) not in only:
            continue
        text = candidate(kb, level, pid, index, cpu)
        if cpu:  # a C++ candidate names its sources cpp_sources, which load_inline compiles with the bindings
            text = text.replace('cpp_sources="torch::Tensor epilogue(torch::Tensor x);",\n                   cpp_sources=', "cpp_sources=")
        samples = attempts or (2 if (level, pid) in DUPLICATES else 1)
        for s in range(samples):
            with open(os.path.join(out, f"level_{level}_problem_{pid}_sample_{s}_kernel.py"), "w") as f:
                f.write(text + (f"\n# attempt {s}: the same kernel as sample 0\n" if attempts and s else ""))
            n += 1
    print(f"{n} candidates in {out}")


if __name__ == "__main__":
    main(sys.argv)
