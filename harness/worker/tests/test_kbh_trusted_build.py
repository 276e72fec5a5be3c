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


def test_a_library_changed_after_its_build_is_never_loaded(tmp_path):
    import json

    import kbh_build_cache
    entry = tmp_path / "0123456789abcdef"
    entry.mkdir()
    library = entry / "ext.so"
    library.write_bytes(b"built")
    meta = {"key": entry.name, "name": "ext", "library": "ext.so", "library_sha256": kbh_build_cache._sha256(library)}
    (entry / kbh_build_cache.MARKER).write_text(json.dumps(meta))
    assert kbh_build_cache._verified(str(entry), meta) == str(library)
    library.write_bytes(b"built, then poisoned")
    with pytest.raises(RuntimeError, match="not the one its build recorded"):
        kbh_build_cache._verified(str(entry), meta)
    with pytest.raises(RuntimeError, match="not the one its build recorded"):  # an entry that records no hash
        kbh_build_cache._verified(str(entry), {k: v for k, v in meta.items() if k != "library_sha256"})


@pytest.mark.parametrize("flags", [
    ["-DA=1 -fplugin=/tmp/p.so"], ["-DX=`id>/tmp/o`"], ["x;sh</tmp/e.h;"], ["-I/a;sh<f"], ["-O3\nrule x"],
    ["-DX=$(id)"], ["-DA='1'"], ["-O2", "-DA=1|id"],
])
def test_flags_with_shell_characters_are_refused(flags):
    # torch writes them into build.ninja unquoted and ninja runs them through /bin/sh (red-team review)
    assert kbh_trusted_build.refused_flags({"extra_cflags": flags}) != []


@pytest.mark.parametrize("path", ["a;sh<f", "a\nrule x\n  command = id", "/usr/include dir", "@/tmp/args"])
def test_include_paths_with_shell_characters_are_refused(path):
    assert kbh_trusted_build.refused_flags({"extra_include_paths": ["/usr/include", path]}) != []


@pytest.mark.parametrize("name", ["../0123abcd/ext", "ext;id", "ext name", "", None])
def test_an_extension_name_that_is_not_an_identifier_is_refused(name, tmp_path):
    with pytest.raises(ValueError, match="named like a Python module"):
        kbh_trusted_build.build(str(tmp_path), "load_inline", {"name": name, "cpp_sources": ""}, str(tmp_path / "w"))


def test_arguments_left_at_their_defaults_pass():
    # load_inline's bound call carries extra_cflags=None and friends when the candidate gives none
    assert kbh_trusted_build.refused_flags({"extra_cflags": None, "extra_cuda_cflags": None, "extra_ldflags": None,
                                            "extra_include_paths": None, "name": "ext"}) == []
