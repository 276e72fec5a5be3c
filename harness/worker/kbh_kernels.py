"""no_custom_kernel, in the candidate's process (self-reported): did a kernel the candidate wrote launch during forward?

On a GPU one correctness call runs under torch.profiler; the CUDA kernels it records are matched by name against the
kernels the candidate defines (`__global__` functions in its file and in the sources its load/load_inline calls built,
`@triton.jit` functions). On a CPU there are no kernel records: not measured.
"""
import re

_GLOBAL = re.compile(r"__global__[^;{(]*?\b([A-Za-z_]\w*)\s*(?:<[^>]*>\s*)?\(")
_TRITON = re.compile(r"@\s*triton\s*\.\s*(?:jit|autotune)\b[\s\S]*?\bdef\s+([A-Za-z_]\w*)")
_IDENT = re.compile(r"[A-Za-z_]\w*")


def defined_kernels(texts):
    """Names of the kernels defined in these source texts."""
    names = set()
    for text in texts:
        names.update(m.group(1) for m in _GLOBAL.finditer(text))
        names.update(m.group(1) for m in _TRITON.finditer(text))
    return names


def own_launches(launched, defined):
    """The launched kernel names (profiler names, possibly demangled signatures) that are one of the candidate's."""
    return [k for k in launched if defined & set(_IDENT.findall(k))]


def profile_kernels(call, device):
    """Runs call() under torch.profiler on the GPU: (its result, the CUDA kernel names recorded, or None and why not)."""
    import torch
    try:
        from torch.profiler import ProfilerActivity, profile
        prof = profile(activities=[ProfilerActivity.CUDA])
        prof.__enter__()
    except Exception as e:  # CUPTI unavailable in this process, or the profiler's modules would not import
        return call(), None, f"the profiler could not start: {type(e).__name__}: {e}"[:300]
    try:
        out = call()
        torch.cuda.synchronize(device)
    finally:
        prof.__exit__(None, None, None)
    names = [e.name for e in prof.events() if str(getattr(e, "device_type", "")).endswith("CUDA")]
    return out, names, None


def import_profiler():
    """Imports what the profiler's first start imports (torch._dynamo among them, about 3 s on a GPU node's first
    start), without starting it: starting it attaches CUPTI to the process, which slows every later launch, so the
    profile itself is taken after the timing (kbh_runner.op_kernels)."""
    try:
        import torch._dynamo  # noqa: F401
        import torch.profiler  # noqa: F401
    except Exception:  # an older torch, or one whose import fails here: the profile after the timing says why
        pass


def finding(launched, defined):
    ran = ", ".join(sorted(set(launched))[:6]) or "none"
    return {"rule": "no_custom_kernel", "severity": "reject",
            "message": f"none of the candidate's kernels ({', '.join(sorted(defined))[:200] or 'none defined'}) "
                       f"launched during forward(); the kernels that ran: {ran[:400]}"}
