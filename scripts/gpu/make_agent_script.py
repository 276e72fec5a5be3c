#!/usr/bin/env python3
"""Writes the scripted model's answers for scripts/gpu-agent.sh, built from candidates already proven on the device.

    make_agent_script.py cuda|cpu OUTDIR   ->  OUTDIR/agent-script.json, OUTDIR/expected.json, OUTDIR/prebuild/*.py

cuda: KernelBench L1/19 (ReLU): a kernel that does not compile, then one that compiles but is wrong, then a correct one;
      L2/12 (Gemm_Multiply_LeakyReLU): a correct fused kernel at once.   (problems/gpu-candidates)
cpu:  the repo's sample problems, the same story with C++ load_inline: L1/1 broken, wrong, correct; L2/1 correct.
Every attempt gets its own extension name. prebuild/ holds the sources that compile, to build before the run.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BROKEN = "kbh_undefined_identifier"  # the compiler names it, so the next prompt can be checked for the cause


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def rename(src, name):
    out, n = re.subn(r'name\s*=\s*"[^"]+"', f'name="{name}"', src, count=1)
    assert n == 1, "no load_inline name= found"
    return out


def swap(src, old, new):
    assert old in src, f"{old!r} not in source"
    return src.replace(old, new, 1)


def answer(code, reasoning, style):
    return {"content": f"Here is the new architecture.\n\n```python\n{code}```\n", "reasoning": reasoning, "style": style}


# Per mode: the two answers' source files, their problems, the extension-name prefix, and the L1 kernel's line with
# the versions of it that do not compile and that compute the wrong thing. cpu's L2 answer is PyTorch only (no name=).
MODES = {
    "cuda": {"files": ("problems/gpu-candidates/level1/19.py", "problems/gpu-candidates/level2/12.py"),
             "keys": ("L1/19", "L2/12"), "prefix": "kbh_agent_", "rename_l2": True,
             "op": "y[i] = fmaxf(x[i], 0.0f);", "broken": f"y[i] = fmaxf(x[i], {BROKEN});",
             "wrong": "y[i] = fmaxf(x[i], 0.0f) * 0.5f;"},
    "cpu": {"files": ("problems/candidates/correct/level1/1.py", "problems/candidates/correct/level2/1.py"),
            "keys": ("L1/1", "L2/1"), "prefix": "kbh_agent_cpu_", "rename_l2": False,
            "op": "o[i] = in[i] * 2.0f + 1.0f;", "broken": f"o[i] = in[i] * {BROKEN} + 1.0f;",
            "wrong": "o[i] = in[i] * 2.0f + 1.5f;"},
}


def plan(mode):
    m = MODES[mode]
    l1, l2 = (read(f) for f in m["files"])
    k1, k2 = m["keys"]
    name = lambda key, n: f"{m['prefix']}{key.lower().replace('/', '_')}_a{n}"  # "L1/19", 1 -> kbh_agent_l1_19_a1
    broken = swap(rename(l1, name(k1, 1)), m["op"], m["broken"])
    wrong = swap(rename(l1, name(k1, 2)), m["op"], m["wrong"])
    right = rename(l1, name(k1, 3))
    fused = rename(l2, name(k2, 1)) if m["rename_l2"] else l2
    script = {
        k1: [answer(broken, "The op is elementwise; one thread per element, grid-stride loop.", "field"),
             answer(wrong, "The build failed on an undeclared identifier; use the literal zero.", "think"),
             answer(right, "The output was off by a factor; drop the scaling.", "field")],
        k2: [answer(fused, "Keep the GEMM in cuBLAS and fuse the multiply and LeakyReLU into one pass.", "think")],
    }
    expected = {k1: ["compile_error", "incorrect", "correct"], k2: ["correct"]}
    return script, expected, {"l1_a2": wrong, "l1_a3": right, "l2_a1": fused}


def main():
    mode, out = sys.argv[1], sys.argv[2]
    script, expected, prebuild = plan(mode)
    os.makedirs(os.path.join(out, "prebuild"), exist_ok=True)
    with open(os.path.join(out, "agent-script.json"), "w", encoding="utf-8") as f:
        json.dump(script, f, indent=1)
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"expected": expected, "broken_identifier": BROKEN}, f, indent=1)
    for name, code in prebuild.items():
        with open(os.path.join(out, "prebuild", name + ".py"), "w", encoding="utf-8") as f:
            f.write(code)


if __name__ == "__main__":
    main()
