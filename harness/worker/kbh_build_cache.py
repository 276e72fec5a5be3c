"""Content-addressed build cache for torch.utils.cpp_extension (load_inline and load).

install(cache_root) wraps both functions so that each extension is built once into <cache_root>/<key>/, where key is a
SHA-256 over everything that decides the built library: sources, extension name, build flags, include paths, with_cuda,
the Python ABI, torch and CUDA versions and the GPU architecture. A later call with the same inputs, in this process or
any other, loads the finished library without running torch's build at all: Debian's torch 1.13 rewrites the sources
and rebuilds on every load_inline call, so skipping its build is the only way a hit is free.

Safety with several processes: one flock per key serialises builds of the same key; a build happens in a private
temporary folder and becomes an entry only by an atomic rename after the library and the marker file are written, so
a killed build never looks finished and two processes building the same source produce one entry.

Each build runs its compiles through kbh_cc.py (CXX and PYTORCH_NVCC point at it): a per-object cache below the
per-extension one, a precompiled header for the bindings file and light torch headers for kernel sources, each falling
back to the plain compile. Which of these each file got is kept in the entry and in stats() ("objects").
KBH_FAST_BUILDS=0 turns the launcher off (plain torch builds, still cached per extension).

A compile error is kept too, as <cache_root>/<key>.failed (the compiler's own diagnostics, written by whoever built:
the trusted build step for a candidate's process): a later call with the same inputs raises the same error at once
instead of compiling again (CUDA-L1 kernels whose own build fails, then fall back to PyTorch, compiled for 15-49 s in
every run of session 20). Only the compiler's verdict on the sources is kept: a compiler killed (a signal, the OOM
killer) or a full disk is tried again next time, and so is an error kept by another version of the build code.

Works with torch 1.13 and 2.x (the wrapped functions' own signatures are bound, so new keyword arguments pass through).
"""

import functools
import hashlib
import importlib.machinery
import importlib.util
import inspect
import json
import os
import re
import shutil
import sys
import tempfile
import time

import kbh_files

MARKER = "KBH_COMPLETE"  # written last inside the build folder, before the rename that publishes it
KEY_VERSION = "kbh-build-cache-2"  # 2: entries record their library's SHA-256
TRITON_DIR = ".triton"
_SKIP_KEY = {"build_directory", "verbose", "keep_intermediates"}  # change where/how loudly it builds, not what
_HEADER_EXT = (".h", ".hpp", ".hh", ".cuh", ".inl")

_stats = {"hits": 0, "misses": 0, "builds": 0, "build_seconds": 0.0, "load_seconds": 0.0, "failed_hits": 0,
          "entries": []}
FAILED = ".failed"  # <key>.failed beside the entries: that key's compile error, kept
_installed = {}


def install(cache_root, remote=None):
    """Route torch.utils.cpp_extension.load_inline and load through the cache rooted at cache_root (idempotent).
    remote(fn_name, call) (a candidate's process, where the cache is read-only): a miss is built by the judge's trusted
    build step (kbh_trusted_build) from the call as data, then loaded from the cache like any hit."""
    import torch.utils.cpp_extension as cpp

    _installed["remote"] = remote

    root = os.path.abspath(os.path.expanduser(cache_root))
    if remote is None:
        os.makedirs(root, exist_ok=True)
    # Triton keys its own cache by source, options and target; pointing it here makes it survive across runs too.
    os.environ.setdefault("TRITON_CACHE_DIR", os.path.join(root, TRITON_DIR))
    if os.environ.get("KBH_FAST_BUILDS", "1") != "0":
        _install_launcher(root, cpp)
    for fn_name in ("load_inline", "load"):
        original = _installed.get(fn_name) or getattr(cpp, fn_name)
        _installed[fn_name] = original
        setattr(cpp, fn_name, _wrap(original, fn_name, root))


def _install_launcher(root, cpp):
    """Point torch's C++ and CUDA compilers at kbh_cc.py. The scripts are named by their content, so processes that
    install at once write the same files; an existing script is never rewritten."""
    launcher = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kbh_cc.py")
    if not os.path.isfile(launcher) or _installed.get("launcher"):
        return
    # The real compilers, as the first install in this process tree found them: CXX and PYTORCH_NVCC inherited from a
    # process that installed for another cache root point at that root's scripts, which a sandbox showing only this
    # root cannot run (found when two judges with different caches ran in one test process).
    real_cxx = os.environ.get("KBH_CC_REAL_CXX") or _unwrapped(os.environ.get("CXX") or "c++")
    os.environ["KBH_CC_REAL_CXX"] = real_cxx
    os.environ["CXX"] = _launcher_script(root, launcher, real_cxx)
    cuda_home = getattr(cpp, "CUDA_HOME", None)
    real_nvcc = os.environ.get("KBH_CC_REAL_NVCC") or os.environ.get("PYTORCH_NVCC") or (
        os.path.join(cuda_home, "bin", "nvcc") if cuda_home else None)
    real_nvcc = _unwrapped(real_nvcc) if real_nvcc else None
    if real_nvcc:
        os.environ["KBH_CC_REAL_NVCC"] = real_nvcc
        os.environ["PYTORCH_NVCC"] = _launcher_script(root, launcher, real_nvcc)
    os.environ["KBH_CC_ROOT"] = os.path.join(root, "cc")
    os.environ["KBH_CC_SALT"] = json.dumps(_environment(), sort_keys=True)
    _installed["launcher"] = (real_cxx, real_nvcc)


_LAUNCHER = re.compile(r'#!/bin/sh\nexec "[^"]*" -S "[^"]*kbh_cc\.py" "(/[^"$`\\]*)" "\$@"\n\Z')


def _unwrapped(compiler):
    """The real compiler behind one of these launcher scripts, where its file can be read, else compiler itself."""
    for _ in range(8):
        if not os.path.isabs(compiler):  # ("c++" is looked up on the PATH, not read from the working directory)
            return compiler
        try:
            with open(compiler, encoding="utf-8") as f:
                text = f.read(4097)
        except (OSError, UnicodeDecodeError):
            return compiler
        found = _LAUNCHER.match(text)
        if not found:
            return compiler
        compiler = found.group(1)
    return compiler


def _launcher_script(root, launcher, real):
    # Named like the real compiler: torch's compiler checks look at the name, then ask it (-v), which passes through.
    text = '#!/bin/sh\nexec "%s" -S "%s" "%s" "$@"\n' % (sys.executable, launcher, real)
    folder = os.path.join(root, "cc", "bin", hashlib.sha256(text.encode()).hexdigest()[:16])
    path = os.path.join(folder, os.path.basename(real))
    if not _holds(path, text):  # missing, or changed since it was written: every build would run what is there
        try:
            kbh_files.write_atomically(path, text, mode=0o755)
        except OSError:
            if _installed.get("remote") is None:
                raise  # (a read-only cache: the judge wrote it at its start, and only its path goes into keys)
    return path


def _holds(path, text):
    """Whether path is a plain file of exactly this text."""
    try:
        if os.path.islink(path) or os.path.getsize(path) != len(text.encode()):
            return False
        with open(path, encoding="utf-8") as f:
            return f.read() == text
    except (OSError, UnicodeDecodeError):
        return False


def stats():
    """Hits, misses, builds, seconds spent building and loading, and the keys touched, since this process started."""
    return dict(_stats, entries=list(_stats["entries"]))


def _wrap(original, fn_name, root):
    signature = inspect.signature(original)

    @functools.wraps(original)
    def cached(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        call = dict(bound.arguments)
        if call.get("is_standalone"):
            return original(*args, **kwargs)  # an executable, not a library: nothing of ours to load
        key = _key(fn_name, call)
        remote = _installed.get("remote")
        if remote is not None and not _complete(os.path.join(root, key)):
            _raise_kept_failure(root, key, call, remote=True)  # (in-process builds: _load_or_build looks)
            remote(fn_name, portable_call(fn_name, call))  # raises when the trusted build fails
            if not _complete(os.path.join(root, key)):
                raise RuntimeError("kbh build cache: the trusted build step made no entry for %s (key %s)"
                                   % (call.get("name"), key[:16]))
            return _built_elsewhere(os.path.join(root, key), key, call)
        return _load_or_build(root, key, call, lambda build_dir: original(**dict(call, build_directory=build_dir)))

    cached.kbh_build_cache = True
    return cached


def portable_call(fn_name, call):
    """The call as JSON data for the trusted build step: load()'s source paths become the files' contents (and the
    headers beside them, which the key covers too), so that the build needs nothing of the candidate's folders."""
    data = {k: v for k, v in call.items() if k not in _SKIP_KEY}
    if fn_name == "load":
        paths, files = _source_files(call["sources"]), {}
        for p in paths:
            with open(p, "rb") as f:
                files[os.path.basename(p)] = f.read().decode("utf-8", "surrogateescape")
        sources = [call["sources"]] if isinstance(call["sources"], str) else list(call["sources"])
        data["sources"] = [os.path.basename(p) for p in sources]
        data["kbh_files"] = files
    return json.loads(json.dumps(data, default=str))


def _key(fn_name, call):
    h = hashlib.sha256()

    def feed(label, value):
        h.update(label.encode() + b"\0" + json.dumps(value, sort_keys=True, default=str).encode() + b"\0")

    feed("version", KEY_VERSION)
    feed("function", fn_name)
    for name in sorted(call):
        if name in _SKIP_KEY:
            continue
        value = call[name]
        if fn_name == "load" and name == "sources":
            value = _file_contents(value)
        feed(name, value)
    feed("env", _environment())
    return h.hexdigest()


def _source_files(sources):
    """load()'s source paths, then the headers beside them that they may include: what its key covers."""
    paths = [sources] if isinstance(sources, str) else list(sources)
    dirs = sorted({os.path.dirname(os.path.abspath(p)) for p in paths})
    return paths + [os.path.join(d, f) for d in dirs for f in sorted(os.listdir(d)) if f.endswith(_HEADER_EXT)]


def _file_contents(sources):
    """load() takes paths: hash what the files say, and the headers beside them that they may include."""
    digest = []
    for p in _source_files(sources):
        with open(p, "rb") as f:
            digest.append([os.path.basename(p), hashlib.sha256(f.read()).hexdigest()])
    return digest


def environment():
    """What every key of this process is computed from besides the call itself: torch, CUDA, the GPU architecture, the
    Python ABI, the compiler torch runs (the launcher's path names the Python, kbh_cc.py's copy and the real compiler)."""
    return dict(_environment())


@functools.lru_cache(maxsize=1)
def _environment():
    import torch

    arch = os.environ.get("TORCH_CUDA_ARCH_LIST")
    if not arch:
        try:
            arch = "sm_%d%d" % torch.cuda.get_device_capability() if torch.cuda.is_available() else "cpu"
        except Exception:  # a broken driver must not stop a CPU build
            arch = "unknown"
    return {
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "arch": arch,
        "python_abi": importlib.machinery.EXTENSION_SUFFIXES[0],
        "cxx": os.environ.get("CXX", ""),
        "cflags": os.environ.get("CFLAGS", ""),
    }


def _load_or_build(root, key, call, build):
    name = call["name"]
    entry = os.path.join(root, key)
    if _complete(entry):
        return _hit(entry, key, call)
    _raise_kept_failure(root, key, call)
    with kbh_files.FileLock(os.path.join(root, key + ".lock")):
        if _complete(entry):  # another process built it while we waited
            return _hit(entry, key, call)
        _raise_kept_failure(root, key, call)  # or failed to
        _remove_stale(root, key)
        tmp = tempfile.mkdtemp(prefix=".tmp-%s-" % key, dir=root)
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the published entry is shared like the rest of the cache
        started = time.monotonic()
        log = os.path.join(tmp, "kbh-build-log.jsonl")
        previous_log = os.environ.get("KBH_BUILD_LOG")
        os.environ["KBH_BUILD_LOG"] = log  # kbh_cc.py appends a line per compiled file
        try:
            result = build(tmp)
        except BaseException as e:
            shutil.rmtree(tmp, ignore_errors=True)  # a compile error is the candidate's verdict, not a cache entry
            if _keep_failures["on"] and compile_error(e):  # but the same inputs get the same verdict: kept
                kbh_files.write_atomically(os.path.join(root, key + FAILED),
                                           json.dumps({"name": name, "error": str(e), "env": _environment(),
                                                       "builder": builder()}),
                                           mode=0o644)
            raise
        finally:
            if previous_log is None:
                os.environ.pop("KBH_BUILD_LOG", None)
            else:
                os.environ["KBH_BUILD_LOG"] = previous_log
        seconds = time.monotonic() - started
        objects = _read_log(log)
        library = os.path.join(tmp, name + ".so")
        if not os.path.isfile(library):
            raise RuntimeError("kbh build cache: torch built no %s.so in %s" % (name, tmp))
        meta = {"key": key, "name": name, "library": name + ".so", "library_sha256": _sha256(library),
                "build_seconds": round(seconds, 3),
                "objects": objects, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "env": _environment()}
        _write_marker(tmp, meta)
        if os.path.isdir(entry):  # an unmarked leftover cannot be loaded; clear it so the rename succeeds
            shutil.rmtree(entry, ignore_errors=True)
        os.rename(tmp, entry)
        _fsync_dir(root)
        _stats["misses"] += 1
        _stats["builds"] += 1
        _stats["build_seconds"] += seconds
        _stats["entries"].append({"key": key, "name": name, "hit": False, "seconds": round(seconds, 3),
                                  "objects": objects})
        return result


def _read_log(path):
    """The launcher's lines for this build ({file, mode, seconds}); empty when the launcher was off."""
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError):
        return []


def _complete(entry):
    return os.path.isfile(os.path.join(entry, MARKER))


# Words of a failed build's output that say the compiler did not finish, rather than what it made of the sources
# (gcc's "Killed signal terminated program", nvcc's "'cicc' died due to signal 9", a crash, an unwritable output: a
# red-team review had such failures kept, so that one memory squeeze would fail an honest source for good).
_NOT_A_VERDICT = ("Killed", "killed", "terminated", "No space left", "Cannot allocate memory", "out of memory",
                  "Resource temporarily unavailable", "timed out", "Timeout", "signal", "died due to",
                  "internal compiler error", "Segmentation fault", "Bus error", "Could not", "fatal")
_keep_failures = {"on": True}  # off in a trusted build step whose sandbox is not whole (kbh_trusted_build)


_BUILDER_FILES = ("kbh_build_cache.py", "kbh_cc.py", "kbh_trusted_build.py")
_builder = {}


def builder():
    """This build code's fingerprint (its files' SHA-256, and the real compilers' paths, sizes and times): a kept compile
    error counts only for the code and compilers that kept it, so a harness that builds differently (new flags, a
    fixed launcher, an upgraded nvcc) compiles the source again."""
    if "id" not in _builder:
        h = hashlib.sha256()
        here = os.path.dirname(os.path.abspath(__file__))
        for name in _BUILDER_FILES:
            try:
                with open(os.path.join(here, name), "rb") as f:
                    h.update(name.encode() + b"\0" + f.read())
            except OSError:  # (a file this copy of the worker lacks counts as such)
                h.update(name.encode() + b"\0missing")
        for real in (os.environ.get("KBH_CC_REAL_CXX"), os.environ.get("KBH_CC_REAL_NVCC")):  # an upgraded compiler
            if real:
                resolved = os.path.realpath(shutil.which(real) or real)
                try:
                    st = os.stat(resolved)
                    h.update(("%s|%d|%d" % (resolved, st.st_size, int(st.st_mtime))).encode())
                except OSError:
                    h.update(resolved.encode() + b"|missing")
        _builder["id"] = h.hexdigest()[:16]
    return _builder["id"]


def compile_error(exc):
    """Whether exc is the compiler's verdict on the sources, the same at every build: torch's RuntimeError raised from
    ninja's non-zero exit (not a signal), with an error in its output and no sign of a compiler that did not finish."""
    import subprocess
    cause = exc.__cause__
    if not isinstance(exc, RuntimeError) or not isinstance(cause, subprocess.CalledProcessError):
        return False
    text = str(exc)
    return (cause.returncode or 0) > 0 and "error" in text and not any(w in text for w in _NOT_A_VERDICT)


def _raise_kept_failure(root, key, call, remote=False):
    """Raises the compile error kept for this key, if there is one: as torch raised it, or, in a process whose builds
    the trusted build step makes (remote), as that step's answer is raised there (kbh_runner._remote_build)."""
    try:
        with open(os.path.join(root, key + FAILED), encoding="utf-8") as f:
            kept = json.load(f)
        error = kept["error"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    if kept.get("builder") != builder():  # kept by another version of the build code: its verdict may be out of date
        return
    _stats["failed_hits"] += 1  # (not an entry: build records list only what loaded)
    if remote:
        import kbh_load
        text = f"RuntimeError: {error}"
        raise kbh_load.BuildFailed(text if len(text) <= 3000 else "..." + text[-3000:])
    raise RuntimeError(str(error))


def _built_elsewhere(entry, key, call):
    """Loads an entry the trusted build step has just built for this call, counted as this call's build (its
    seconds and each file's compile mode from the entry's marker)."""
    with open(os.path.join(entry, MARKER)) as f:
        meta = json.load(f)
    module = _import_library(call["name"], _verified(entry, meta), call.get("is_python_module", True))
    seconds = float(meta.get("build_seconds") or 0.0)
    _stats["misses"] += 1
    _stats["builds"] += 1
    _stats["build_seconds"] += seconds
    _stats["entries"].append({"key": key, "name": call["name"], "hit": False, "seconds": round(seconds, 3),
                              "objects": meta.get("objects") or []})
    return module


def _hit(entry, key, call):
    started = time.monotonic()
    with open(os.path.join(entry, MARKER)) as f:
        meta = json.load(f)
    module = _import_library(call["name"], _verified(entry, meta), call.get("is_python_module", True))
    seconds = time.monotonic() - started
    _stats["hits"] += 1
    _stats["load_seconds"] += seconds
    _stats["entries"].append({"key": key, "name": call["name"], "hit": True, "seconds": round(seconds, 3)})
    return module


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _verified(entry, meta):
    """The entry's library, after checking it is the very file the build step recorded: a library changed after its
    build (by anything that could write the cache) is never loaded."""
    path = os.path.join(entry, os.path.basename(str(meta.get("library", ""))))
    if not meta.get("library_sha256") or _sha256(path) != meta["library_sha256"]:
        raise RuntimeError("kbh build cache: the library of entry %s is not the one its build recorded (changed "
                           "after the build); run `kbh cache clear`" % os.path.basename(entry)[:16])
    return path


def _import_library(name, path, is_python_module):
    if not is_python_module:
        import torch

        torch.ops.load_library(path)
        return path
    # The module keeps the candidate's name: the library's PyInit_<name> must match what it is imported as.
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_marker(folder, meta):
    kbh_files.write_atomically(os.path.join(folder, MARKER), json.dumps(meta, indent=1), fsync=True)


def _remove_stale(root, key):
    """Temp folders of this key seen while holding its lock belong to builds that died: never loaded, removed."""
    prefix = ".tmp-%s-" % key
    for child in os.listdir(root):
        if child.startswith(prefix):
            shutil.rmtree(os.path.join(root, child), ignore_errors=True)


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


if __name__ == "__main__":
    sys.exit("kbh_build_cache is a library: import it and call install(cache_root)")
