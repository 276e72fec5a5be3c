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


def _ninja_failure(returncode, output):
    """torch's own exception for a failed build: RuntimeError raised from ninja's CalledProcessError."""
    import subprocess
    try:
        raise subprocess.CalledProcessError(returncode, ["ninja"], output=output.encode())
    except subprocess.CalledProcessError as e:
        try:
            raise RuntimeError(f"Error building extension 'ext': {output}") from e
        except RuntimeError as error:
            return error


def test_a_compile_error_is_kept_and_raised_again_without_compiling(tmp_path):
    # CUDA-L1 kernels whose own build fails compiled again in every run of session 20 (15-49 s each).
    import kbh_build_cache
    calls = []

    def build(folder):
        calls.append(folder)
        raise _ninja_failure(1, "main.cpp:4:56: error: 'matrix_scalar_mul' was not declared in this scope")
    for _ in range(2):
        with pytest.raises(RuntimeError, match="was not declared in this scope"):
            kbh_build_cache._load_or_build(str(tmp_path), "k" * 64, {"name": "ext"}, build)
    assert len(calls) == 1  # the second call raised the kept error
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == ["k" * 64 + ".failed"]
    assert oct((tmp_path / ("k" * 64 + ".failed")).stat().st_mode)[-3:] == "644"  # candidates' processes read it


@pytest.mark.parametrize("error", [
    _ninja_failure(-9, "g++ ... error"),  # ninja killed
    _ninja_failure(1, "g++: fatal error: Killed signal terminated program cc1plus"),  # the OOM killer
    _ninja_failure(1, "error: No space left on device"),
    # nvcc's words for a stage the OOM killer or a crash ended (a red-team review had them kept)
    _ninja_failure(1, "nvcc error   : 'cicc' died due to signal 9 (Kill signal)"),
    _ninja_failure(1, "nvcc error   : 'ptxas' died due to signal 11 (Invalid memory reference)"),
    _ninja_failure(1, "nvcc fatal   : Could not write to output file 'x.o': error"),
    _ninja_failure(1, "x.cu:3: internal compiler error: Segmentation fault"),
    RuntimeError("kbh build cache: torch built no ext.so in /tmp/x"),  # no compiler verdict at all
    KeyboardInterrupt(),
])
def test_a_build_that_did_not_finish_is_tried_again(tmp_path, error):
    import kbh_build_cache
    calls = []

    def build(folder):
        calls.append(folder)
        raise error
    for _ in range(2):
        with pytest.raises(type(error)):
            kbh_build_cache._load_or_build(str(tmp_path), "k" * 64, {"name": "ext"}, build)
    assert len(calls) == 2 and not list(tmp_path.glob("*.failed"))


def test_a_build_step_whose_sandbox_is_not_whole_keeps_no_compile_error(tmp_path, monkeypatch):
    # A header it could not see is no verdict on the sources (the judge passes keep_failures=False then).
    import kbh_build_cache
    monkeypatch.setitem(kbh_build_cache._keep_failures, "on", False)

    def build(folder):
        raise _ninja_failure(1, "main.cpp:1:10: fatal error: torch/extension.h: No such file or directory")
    with pytest.raises(RuntimeError):
        kbh_build_cache._load_or_build(str(tmp_path), "k" * 64, {"name": "ext"}, build)
    assert not list(tmp_path.glob("*.failed"))
