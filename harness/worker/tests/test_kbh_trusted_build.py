"""The flags the trusted build step passes to a compiler: what models' kernels use, never a program or plugin."""
import pytest

import kbh_trusted_build


@pytest.mark.parametrize("flags", [
    ["-O3"], ["-O3", "--use_fast_math"], ["-std=c++17", "-DNDEBUG", "-DBLOCK=256", "-fopenmp", "-march=native"],
    ["-Xptxas", "-v"], ["-Xptxas=-O3,-v"], ["-gencode=arch=compute_90,code=sm_90"], ["-arch=sm_90"],
    ["--expt-relaxed-constexpr", "-lineinfo", "-maxrregcount=64"], ["-lcublas", "-L/usr/local/cuda/lib64"],
    ["-Xcompiler", "-fopenmp,-O3"], ["-Wno-unused", "-ffast-math", "-funroll-loops", "-fuse-ld=gold"],
])
def test_kernel_flags_pass(flags):
    assert kbh_trusted_build.refused_flags({"extra_cflags": flags, "extra_cuda_cflags": flags}) == []


@pytest.mark.parametrize("flag", [
    "-fplugin=/tmp/x.so", "-wrapper", "-B/tmp", "-specs=/tmp/s", "@/tmp/args", "-ccbin", "--compiler-bindir=/tmp",
    "-Wl,-plugin,/tmp/x.so", "-Wp,-fplugin=/tmp/x.so", "-Xlinker", "-fuse-ld=/tmp/ld", "-Xcompiler=-wrapper,/bin/sh",
])
def test_flags_that_run_programs_are_refused(flag):
    assert kbh_trusted_build.refused_flags({"extra_cflags": ["-O2", flag]}) != []


def test_an_include_path_given_as_a_response_file_is_refused():
    assert kbh_trusted_build.refused_flags({"extra_include_paths": ["@/tmp/args"]}) == ["@/tmp/args"]
