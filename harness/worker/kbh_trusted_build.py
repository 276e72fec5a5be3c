"""The trusted build step: a candidate's extension built into the shared build cache by a process that runs none of
the candidate's code.

A candidate's own process sees the build cache read-only (kbh_jobs' sandbox). On a miss its load_inline/load call is
sent to the judge as data (kbh_build_cache.portable_call); the judge starts a fresh sandboxed process from the fork
server, the cache writable, and it runs build() here: torch's own build of those sources with those flags, through
kbh_build_cache (so the entry is keyed and published as always), without ever loading the library it built (a
library's static constructors are candidate code). So every entry in the shared cache is what the compiler makes of
the inputs its key covers; a hostile build can only make its own key's entry, which only the same sources and flags
ever load.

The compiler itself must run nothing the candidate chose: flags that load plugins or run other programs (gcc's
-wrapper, -fplugin, -B, -specs, @file, nvcc's -ccbin, linker plugins) are outside ALLOWED and refused with the reason,
and the build fails as the candidate's compile error. Everything else a model's kernel needs (optimisation, language
standard, macros, include and library paths, target architectures, fast math, ptxas options, libraries to link) is
allowed."""
import os
import re

# Each flag whole (after splitting -Xcompiler/-Xptxas lists); a match lets it through.
ALLOWED = [re.compile(p) for p in (
    r"-O[0-3sfgz]?", r"-g[0-3]?", r"-lineinfo", r"-G", r"-DNDEBUG", r"-[DU][A-Za-z_][A-Za-z0-9_]*(=.*)?",
    r"-std=[a-z0-9+]+", r"--std=[a-z0-9+]+", r"-I[^\s]*", r"-isystem", r"-L[^\s]*", r"-l[A-Za-z0-9_.+-]+",
    r"-f(?!plugin)(no-)?[a-z0-9-]+(=[A-Za-z0-9_.,+-]+)?", r"-m[a-z0-9-]+(=[A-Za-z0-9_.,+-]+)?",
    r"-W(?![lap],)[A-Za-z0-9=_-]*", r"-w", r"-pthread", r"-fopenmp", r"-shared", r"-fPIC",
    r"--?use_fast_math", r"--use-fast-math", r"-ftz=(true|false)", r"-prec-(div|sqrt)=(true|false)",
    r"--fmad=(true|false)", r"-fmad=(true|false)",
    r"-arch=[a-z_0-9,]+", r"-arch", r"sm_[0-9a-z]+", r"compute_[0-9a-z]+", r"-code=[a-z_0-9,]+",
    r"-gencode=?.*", r"--generate-code=?.*", r"arch=compute_[0-9a-z]+,code=\[?[a-z_0-9,]+\]?",
    r"--gpu-architecture=?[a-z_0-9]*", r"--gpu-code=?[a-z_0-9,]*",
    r"--expt-relaxed-constexpr", r"--expt-extended-lambda", r"--extended-lambda", r"-rdc=(true|false)",
    r"--relocatable-device-code=(true|false)", r"-dlto", r"--restrict", r"-res-usage", r"--resource-usage",
    r"-maxrregcount=?[0-9]*", r"--maxrregcount=?[0-9]*", r"[0-9]+", r"-v", r"--verbose",
    r"-Xptxas=?[A-Za-z0-9=,_-]*", r"--ptxas-options=?[A-Za-z0-9=,_-]*", r"-Xcompiler=?", r"--compiler-options=?",
    r"-Xcudafe=?[A-Za-z0-9=,_-]*", r"--diag-suppress=?[0-9,]*", r"-diag-suppress=?[0-9,]*",
    r"--default-stream(=per-thread|=legacy)?", r"per-thread", r"legacy", r"-t[0-9]*", r"--threads=?[0-9]*",
    r"--allow-unsupported-compiler", r"-U__CUDA_NO_[A-Z0-9_]+__",
    r"[^-@][^\s]*",  # a path or value of the flag before it (-isystem DIR, -Xptxas -v): an input, never a program
)]
# torch writes flags, include paths and the extension's name into build.ninja unquoted, and ninja runs each command
# through /bin/sh: a space, quote, ;, `, <, > or newline in any of them would be a shell command of the candidate's
# (red-team review, session 12). Every word must be made of these characters only.
_WORD = re.compile(r"[A-Za-z0-9_+=,./:-]+")


def refused_flags(call):
    """The flags, include paths and argument lists of call the trusted step will not pass to a compiler (empty: all
    allowed)."""
    bad = []
    for name, value in call.items():
        if not name.startswith("extra_"):
            continue
        for flag in value if isinstance(value, (list, tuple)) else ([] if value is None else [value]):
            if not isinstance(flag, str) or not _WORD.fullmatch(flag):
                bad.append(flag[:80] if isinstance(flag, str) else repr(flag)[:80])
            elif name != "extra_include_paths":
                bad += [part for part in _parts(flag) if not any(p.fullmatch(part) for p in ALLOWED)]
    return bad


def _parts(flag):
    """-Xcompiler -O3,-fopenmp and -Xcompiler=-O3 as the flags they pass on."""
    head, _, tail = flag.partition("=")
    if head in ("-Xcompiler", "--compiler-options", "-Xptxas", "--ptxas-options") and tail:
        return [head] + [p for p in tail.split(",") if p]
    return [p for p in flag.split(",")] if flag.startswith("-") and "," in flag and not flag.startswith(
        ("-gencode", "--generate-code", "-arch", "-code", "-Xptxas", "--ptxas-options")) else [flag]


def build(cache_root, fn_name, call, workdir, keep_failures=True):
    """Builds call into the cache at cache_root (writable here) and returns None; raises with the compiler's words on
    a failed build, or ValueError naming the refused flags. keep_failures False (this process's sandbox is not whole:
    a header it could not see is no verdict on the sources): a compile error is not kept in the cache."""
    import torch.utils.cpp_extension as cpp
    import kbh_build_cache

    if fn_name not in ("load_inline", "load"):
        raise ValueError(f"the trusted build step builds load_inline and load calls, not {fn_name!r}")
    name = call.get("name")
    if not isinstance(name, str) or not name.isidentifier():  # a file name and a macro in build.ninja, nothing else
        raise ValueError(f"the trusted build step builds extensions named like a Python module, not {name!r:.80}")
    if call.get("is_standalone"):  # an executable, placed where the request says: never from this step (a red-team
        # review linked one over the cache's nvcc launcher, which every later CUDA build then ran)
        raise ValueError("the trusted build step builds libraries, not standalone executables (is_standalone)")
    bad = refused_flags(call)
    if bad:
        raise ValueError("the trusted build step does not pass these flags to a compiler (they could run other "
                         f"programs or load plugins): {' '.join(bad[:8])}")
    call = dict(call, build_directory=None)  # (the cache picks the folder; a requested one is never written)
    if fn_name == "load":  # the sources as files of this process's own
        os.makedirs(workdir, exist_ok=True)
        for name, text in (call.pop("kbh_files", None) or {}).items():
            with open(os.path.join(workdir, os.path.basename(name)), "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
        call["sources"] = [os.path.join(workdir, os.path.basename(s)) for s in call["sources"]]
    call.pop("kbh_files", None)
    kbh_build_cache.install(cache_root)
    kbh_build_cache._keep_failures["on"] = bool(keep_failures)
    # Built, never loaded: torch imports what it builds, and a library's static constructors are candidate code.
    cpp._import_module_from_library = lambda *args, **kwargs: None
    getattr(cpp, fn_name)(**call)
