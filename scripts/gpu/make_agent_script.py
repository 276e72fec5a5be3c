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


def plan(mode):
    if mode == "cuda":
        l1, l2 = read("problems/gpu-candidates/level1/19.py"), read("problems/gpu-candidates/level2/12.py")
        op = "y[i] = fmaxf(x[i], 0.0f);"
        k1, k2 = "L1/19", "L2/12"
        broken = swap(rename(l1, "kbh_agent_l1_19_a1"), op, f"y[i] = fmaxf(x[i], {BROKEN});")
        wrong = swap(rename(l1, "kbh_agent_l1_19_a2"), op, "y[i] = fmaxf(x[i], 0.0f) * 0.5f;")
        right = rename(l1, "kbh_agent_l1_19_a3")
        fused = rename(l2, "kbh_agent_l2_12_a1")
    else:
        l1, l2 = read("problems/candidates/correct/level1/1.py"), read("problems/candidates/correct/level2/1.py")
        op = "o[i] = in[i] * 2.0f + 1.0f;"
        k1, k2 = "L1/1", "L2/1"
        broken = swap(rename(l1, "kbh_agent_cpu_l1_1_a1"), op, f"o[i] = in[i] * {BROKEN} + 1.0f;")
        wrong = swap(rename(l1, "kbh_agent_cpu_l1_1_a2"), op, "o[i] = in[i] * 2.0f + 1.5f;")
        right = rename(l1, "kbh_agent_cpu_l1_1_a3")
        fused = rename(l2, "kbh_agent_cpu_l2_1_a1") if "name=" in l2 else l2
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
