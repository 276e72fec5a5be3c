"""Compiler launcher for extension builds: a per-object cache and cheaper compiles that give the same object.

torch's ninja build calls `$cxx ... -c SRC -o OUT` and `$nvcc ... -c SRC -o OUT`; kbh_build_cache points CXX and
PYTORCH_NVCC at small scripts that run `python3 kbh_cc.py REAL_COMPILER ARGS...`. For one compile this launcher
1. answers from the object cache when the same source was compiled with the same flags, compiler and torch before
   (the generated bindings file is usually the same across attempts at one problem, so it is compiled once);
2. otherwise, for a bindings file (it includes torch/extension.h and defines the Python module), compiles with a
   precompiled torch/extension.h (built once per compiler and flags, kept in the cache) when KBH_CC_PCH=1;
3. for any other source that includes only torch/extension.h or torch/types.h, compiles a copy whose torch includes
   are replaced by a light header (ATen plus `namespace torch = at`-style names, no autograd, nn or Python bindings);
4. falls back to the source exactly as written whenever a shortcut fails, so a compile error is always the plain
   build's own words.
Anything that is not a single compile (linking, -v, --version) runs the real compiler untouched.
Each compile appends one JSON line {file, mode, seconds} to $KBH_BUILD_LOG, so the verdict says which build was used.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import kbh_files

KEY_VERSION = "kbh-cc-1"
_SOURCE_EXT = (".c", ".cc", ".cpp", ".cxx", ".cu")
_TORCH_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]torch/(extension|types)\.h[>"]\s*(//.*)?$')
_HEAVY_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]torch/(torch|all|python)\.h[>"]')
_MODULE_MACRO = re.compile(r"\b(PYBIND11_MODULE|TORCH_LIBRARY)\b")
LIGHT_HEADER = """// kbh light torch header: what a kernel source usually takes from torch/extension.h (the Tensor class, the common
// factories, checks, dispatch macros, dtype names), without ATen's operator set, autograd, nn or the Python bindings.
// A source that needs more fails to compile against it and is compiled again exactly as written.
#pragma once
#include <ATen/core/Tensor.h>
#include <ATen/Dispatch.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/empty_strided.h>
#include <ATen/ops/full.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/ones_like.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/zeros_like.h>
#include <c10/util/Exception.h>
namespace torch {
using namespace at;
constexpr auto kUInt8 = at::kByte;
constexpr auto kInt8 = at::kChar;
constexpr auto kInt16 = at::kShort;
constexpr auto kInt32 = at::kInt;
constexpr auto kInt64 = at::kLong;
constexpr auto kFloat16 = at::kHalf;
constexpr auto kFloat32 = at::kFloat;
constexpr auto kFloat64 = at::kDouble;
constexpr auto kU8 = kUInt8;
constexpr auto kI8 = kInt8;
constexpr auto kI16 = kInt16;
constexpr auto kI32 = kInt32;
constexpr auto kI64 = kInt64;
constexpr auto kF16 = kFloat16;
constexpr auto kF32 = kFloat32;
constexpr auto kF64 = kFloat64;
}  // namespace torch
"""


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: kbh_cc.py REAL_COMPILER ARGS...\n")
        return 2
    real, args = argv[1], argv[2:]
    job = _Compile.parse(real, args)
    if job is None or not os.environ.get("KBH_CC_ROOT"):
        return _exec(real, args)
    try:
        return job.run(os.environ["KBH_CC_ROOT"])
    except Exception as e:  # a fault of the launcher's own must never become the candidate's compile error
        job.log_line("launcher-error: %s: %s" % (type(e).__name__, e), time.monotonic(), 0)
        return _exec(real, args)


def _exec(real, args):
    os.execvp(real, [real] + args)


class _Compile:
    """One `-c SRC -o OUT` compile, with the dependency-file flags g++ and nvcc use under torch's ninja rules."""

    def __init__(self, real, args, src, out, depfile):
        self.real, self.args, self.src, self.out, self.depfile = real, args, src, out, depfile
        self.nvcc = os.path.basename(real).startswith("nvcc") or src.endswith(".cu")

    @staticmethod
    def parse(real, args):
        if "-c" not in args:
            return None
        src = out = dep = None
        i = 0
        while i < len(args):
            a = args[i]
            if a == "-o" and i + 1 < len(args):
                out = args[i + 1]
                i += 1
            elif a in ("-MF", "--dependency-output") and i + 1 < len(args):
                dep = args[i + 1]
                i += 1
            elif not a.startswith("-") and a.endswith(_SOURCE_EXT) and os.path.isfile(a):
                if src is not None:
                    return None  # several sources in one call: not what torch's rules write; leave it alone
                src = a
            i += 1
        if src is None or out is None:
            return None
        return _Compile(real, args, src, out, dep)

    # -- keys ---------------------------------------------------------------------------------------------------
    def flags(self, drop_name=False):
        """The command line without the paths that change from build to build (source, output, dependency file)."""
        kept, skip = [], False
        for a in self.args:
            if skip:
                skip = False
                continue
            if a in ("-o", "-MF", "--dependency-output"):
                skip = True
                continue
            if a == self.src or a in ("-MMD", "--generate-dependencies-with-compile"):
                continue
            if drop_name and a.startswith("-DTORCH_EXTENSION_NAME="):
                continue
            kept.append(a)
        return kept

    def key(self, source_bytes):
        h = hashlib.sha256()
        for part in (KEY_VERSION, _identity(self.real), os.environ.get("KBH_CC_SALT", ""),
                     json.dumps(self.flags()), os.path.splitext(self.src)[1]):
            h.update(part.encode() + b"\0")
        h.update(source_bytes)
        return h.hexdigest()

    # -- the compile ----------------------------------------------------------------------------------------------
    def run(self, root):
        started = time.monotonic()
        with open(self.src, "rb") as f:
            source = f.read()
        key = self.key(source)
        cached = os.path.join(root, "objects", key[:2], key + ".o")
        if os.path.isfile(cached):
            return self._from_cache(cached, started)
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        # One compile per key at a time: candidates built at once often share their bindings file.
        with kbh_files.FileLock(cached + ".lock"):
            if os.path.isfile(cached):
                return self._from_cache(cached, started)
            return self._compile_and_store(root, source, cached, started)

    def _from_cache(self, cached, started):
        shutil.copyfile(cached, self.out)
        self._simple_depfile()
        return self._log("object-cache", started, 0)

    def _compile_and_store(self, root, source, cached, started):
        text = source.decode("utf-8", "replace")
        lines = text.splitlines()
        mode, rc = "plain", None
        if _MODULE_MACRO.search(text):
            if not self.nvcc and _first_include(lines) == "torch/extension.h" and os.environ.get("KBH_CC_PCH") == "1":
                pch = _pch(root, self)
                if pch:
                    rc = self._compile(["-include", pch, "-Winvalid-pch"] + self.args, quiet=True)
                    mode = "pch" if rc == 0 else "plain-after-pch"
        elif _light_candidate(lines):
            light = self._light_copy(root, lines)
            rc = self._compile([light if a == self.src else a for a in self.args], quiet=True)
            mode = "light" if rc == 0 else "plain-after-light"
        if rc != 0:
            rc = self._compile(self.args, quiet=False)  # as written: its errors are the ones the user sees
        if rc == 0:
            _store(cached, self.out)
        return self._log(mode if rc == 0 else "failed", started, rc)

    def _compile(self, args, quiet):
        if not quiet:
            return subprocess.call([self.real] + args)
        done = subprocess.run([self.real] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if done.returncode == 0 and done.stdout:  # warnings of a build that is kept
            sys.stderr.buffer.write(done.stdout)
        return done.returncode

    def _light_copy(self, root, lines):
        header = _shared_file(root, "include", "kbh_torch_light.h", LIGHT_HEADER)
        path = os.path.splitext(self.out)[0] + ".kbh-light" + os.path.splitext(self.src)[1]
        # #line keeps __FILE__ and the line numbers of the source as written (messages, TORCH_CHECK texts).
        body = ['#line 1 "%s"' % self.src.replace("\\", "\\\\").replace('"', '\\"')]
        body += ['#include "%s"' % header if _TORCH_INCLUDE.match(l) else l for l in lines]
        with open(path, "w") as f:
            f.write("\n".join(body) + "\n")
        return path

    def _simple_depfile(self):
        if self.depfile:
            with open(self.depfile, "w") as f:
                f.write("%s: %s\n" % (self.out.replace(" ", "\\ "), self.src.replace(" ", "\\ ")))

    def log_line(self, mode, started, rc):
        try:
            self._log(mode, started, rc)
        except OSError:
            pass

    def _log(self, mode, started, rc):
        path = os.environ.get("KBH_BUILD_LOG")
        if path:
            line = json.dumps({"file": os.path.basename(self.src), "mode": mode,
                               "seconds": round(time.monotonic() - started, 3)})
            with open(path, "a") as f:  # one short O_APPEND write per line: parallel compiles do not interleave
                f.write(line + "\n")
        return rc


def _first_include(lines):
    for line in lines:
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        m = re.match(r'#\s*include\s*[<"]([^>"]+)[>"]', s)
        return m.group(1) if m else None
    return None


def _light_candidate(lines):
    return any(_TORCH_INCLUDE.match(l) for l in lines) and not any(_HEAVY_INCLUDE.match(l) for l in lines)


def _pch(root, job):
    """A precompiled torch/extension.h for these flags (less the extension's name, which the header never reads);
    built once under a lock, published by rename. None when it cannot be built: the caller compiles plainly."""
    flags = job.flags(drop_name=True)
    h = hashlib.sha256()
    for part in (KEY_VERSION, "pch", _identity(job.real), os.environ.get("KBH_CC_SALT", ""), json.dumps(flags)):
        h.update(part.encode() + b"\0")
    key = h.hexdigest()
    folder = os.path.join(root, "pch", key)
    header = os.path.join(folder, "kbh_pch.h")
    failed = os.path.join(root, "pch", key + ".failed")
    if os.path.isfile(header + ".gch"):
        return header
    if os.path.exists(failed):
        return None
    os.makedirs(os.path.dirname(folder), exist_ok=True)
    with kbh_files.FileLock(folder + ".lock"):
        if os.path.isfile(header + ".gch"):
            return header
        tmp = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(folder))
        try:
            with open(os.path.join(tmp, "kbh_pch.h"), "w") as f:
                f.write("#include <torch/extension.h>\n")
            args = [a for a in flags if a != "-c"] + ["-x", "c++-header", os.path.join(tmp, "kbh_pch.h"),
                                                       "-o", os.path.join(tmp, "kbh_pch.h.gch")]
            done = subprocess.run([job.real] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if done.returncode != 0:
                open(failed, "w").close()  # do not try again for every compile
                return None
            os.chmod(tmp, 0o755)  # mkdtemp makes it private; the cache is shared
            shutil.rmtree(folder, ignore_errors=True)
            os.rename(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return header


def _store(cached, built):
    os.makedirs(os.path.dirname(cached), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(cached))
    os.close(fd)
    shutil.copyfile(built, tmp)
    os.rename(tmp, cached)  # whole or absent: a killed compile never leaves a half object under the key


def _shared_file(root, folder, name, content):
    """A file of fixed content under root, named by its hash, written once by whoever comes first."""
    digest = hashlib.sha256(content.encode()).hexdigest()[:16]
    d = os.path.join(root, folder, digest)
    path = os.path.join(d, name)
    if not os.path.isfile(path):
        kbh_files.write_atomically(path, content)
    return path


def _identity(real):
    """The compiler's resolved path and version text, remembered per binary (path, size, mtime) across calls."""
    resolved = shutil.which(real) or real
    resolved = os.path.realpath(resolved)
    try:
        st = os.stat(resolved)
    except OSError:
        return resolved
    stamp = "%s|%d|%d" % (resolved, st.st_size, int(st.st_mtime))
    memo_dir = os.path.join(os.environ.get("KBH_CC_ROOT", tempfile.gettempdir()), "compilers")
    memo = os.path.join(memo_dir, hashlib.sha256(stamp.encode()).hexdigest()[:24])
    try:
        with open(memo) as f:
            return f.read()
    except OSError:
        pass
    done = subprocess.run([real, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    identity = stamp + "|" + done.stdout.decode("utf-8", "replace").strip()
    kbh_files.write_atomically(memo, identity)
    return identity


if __name__ == "__main__":
    sys.exit(main(sys.argv))
