"""torch's CPU uniform_/normal_ on float32: the same values, drawn on the worker's cores (issue 4). A uniform_ is drawn
by a compiled loop (below); a normal_, or a uniform_ the loop declines, is filled by torch itself in parallel parts
(parallel_, further down).

KernelBench constructs the reference on the CPU after a seed, so a 32768 x 32768 nn.Linear is a billion serial draws
from torch's MT19937 (7-8 s on an H200 node), paid once per problem and run. The fill is a pure function of the
generator's state: every value is 24 bits of one tempered MT19937 word scaled to [from, to). A small C loop computes
the same words from a copy of torch's state (the recurrence on one core; page faults, tempering and scaling spread
over the worker's cores), and the generator is then set to the state after them, as torch's own draw would leave it.
On the 2-core CI machine a 16384-wide nn.Linear is constructed in 1.1 s instead of 1.75 s
(scripts/bench/fast_fill_bench.py); the parallel part grows with the cores.

Nothing is trusted on faith: before every fill, torch itself draws a prefix from the same state and the C loop must
give those values bit for bit (it tries the arithmetic torch 1.13 uses, double, and plain float and fused float for
other builds). Anything else (no C compiler, another state layout, a prefix that differs) falls back to torch's own
uniform_. KBH_FAST_FILL=0 turns it off.
"""
import contextlib
import ctypes
import os
import shutil
import struct
import subprocess
import tempfile
import threading

import torch

_equal = torch.equal  # the worker's own, taken before any candidate code runs
_N = 624  # MT19937 words
_PREFIX = 4096  # values torch draws to check each fill against
_STATE_BYTES = 24 + 8 * _N  # the legacy layout's head: seed, left, seeded, next, state[624] as uint64
_MODES = ("double", "float", "fma")  # how torch turns 24 random bits into [from, to): see _SOURCE

_SOURCE = r"""
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#define N 624
#define M 397
#define MIX(a, b, c) ((c) ^ ((((a) & 0x80000000u) | ((b) & 0x7fffffffu)) >> 1) \
                      ^ ((0u - ((b) & 1u)) & 0x9908b0dfu))

static void regenerate(uint32_t *s) {
    int j;
    for (j = 0; j < N - M; j++) s[j] = MIX(s[j], s[j + 1], s[j + M]);
    for (; j < N - 1; j++) s[j] = MIX(s[j], s[j + 1], s[j + M - N]);
    s[N - 1] = MIX(s[N - 1], s[0], s[M - 1]);
}

static inline uint32_t temper(uint32_t y) {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
}

/* s: the 624 state words; *pos: the next word to use (N: regenerate first). mode 0: (double)(bits * 2^-24) *
   (to - from) + from in double, rounded once to float (torch 1.13); 1: the same in float; 2: one fused float
   multiply-add. Built with -ffp-contract=off so modes 0 and 1 round where they say. */
typedef struct {
    uint32_t *raw;
    int64_t begin, end;
    int mode, step;
    float from, span;
} Part;

/* Touching a fresh allocation's pages (step 1024: one write a page), or tempering and scaling words in place. */
static void *work(void *arg) {
    const Part *t = (const Part *)arg;
    uint32_t *raw = t->raw;
    float *out = (float *)t->raw;
    const float from = t->from, span = t->span;
    const double dfrom = from, dspan = span;
    if (t->step) {
        for (int64_t j = t->begin; j < t->end; j += t->step) raw[j] = 0;
        return 0;
    }
    for (int64_t j = t->begin; j < t->end; j++) {
        const float bits = (float)(temper(raw[j]) & 0xffffffu);
        if (t->mode == 0) out[j] = (float)((double)bits * (1.0 / 16777216.0) * dspan + dfrom);
        else if (t->mode == 1) out[j] = bits * (1.0f / 16777216.0f) * span + from;
        else out[j] = fmaf(bits * (1.0f / 16777216.0f), span, from);
    }
    return 0;
}

/* Splits [0, n) into at most `threads` (up to 64) page-aligned parts, each at least a page, so every element is in
   one; runs a part itself where a thread cannot start. */
static void spread(Part base, int64_t n, int threads) {
    Part parts[64];
    pthread_t ids[64];
    int started[64] = {0};
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    const int64_t chunk = (((n + threads - 1) / threads + 1023) / 1024) * 1024;
    int count = 0;
    for (int64_t b = 0; b < n && count < 64; b += chunk, count++) {
        parts[count] = base;
        parts[count].begin = b;
        parts[count].end = b + chunk < n ? b + chunk : n;
        started[count] = count > 0 && pthread_create(&ids[count], 0, work, &parts[count]) == 0;
    }
    for (int c = 0; c < count; c++)
        if (!started[c]) work(&parts[c]);
    for (int c = 0; c < count; c++)
        if (started[c]) pthread_join(ids[c], 0);
}

/* Takes n words from the generator (s, *pos), copying them to raw unless it is null: MT19937's serial recurrence. */
static void step(uint32_t *s, int *pos, int64_t n, uint32_t *raw) {
    int p = *pos;
    for (int64_t i = 0; i < n;) {
        if (p >= N) { regenerate(s); p = 0; }
        const int64_t k = (N - p) < (n - i) ? (N - p) : (n - i);
        if (raw) memcpy(raw + i, s + p, (size_t)k * sizeof(uint32_t));
        i += k;
        p += (int)k;
    }
    *pos = p;
}

/* The serial part is only MT19937's recurrence and a copy of its words; spread over `threads` are the first-touch
   faults of a fresh allocation (they cost as much as the draws) and tempering and scaling each word in place. out
   doubles as the words' buffer (built with -fno-strict-aliasing). */
void kbh_uniform_f32(uint32_t *s, int *pos, int64_t n, float *out, float from, float to, int mode, int threads) {
    Part base = {(uint32_t *)out, 0, 0, mode, 1024, from, to - from};
    if (n <= 0) return;
    spread(base, n, threads);
    step(s, pos, n, (uint32_t *)out);
    base.step = 0;
    spread(base, n, threads);
}

/* Moves the generator n words on without using them: where a fill of n words leaves it (kbh_fast_fill.parallel_). */
void kbh_mt_advance(uint32_t *s, int *pos, int64_t n) {
    step(s, pos, n, 0);
}
"""

_library = {"fn": None, "advance": None, "tried": False}
_winner = {"mode": 0}  # the arithmetic that matched last: tried first next time
stats = {"fast": 0, "fallback": 0}


def enabled():
    return os.environ.get("KBH_FAST_FILL", "1") != "0"


def _load():
    """The compiled loop, built once per process with the system's C compiler into a private folder; None when it
    cannot be built."""
    if _library["tried"]:
        return _library["fn"]
    _library["tried"] = True
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    folder = tempfile.mkdtemp(prefix="kbh-fast-fill-")
    source, shared = os.path.join(folder, "fill.c"), os.path.join(folder, "fill.so")
    with open(source, "w") as f:
        f.write(_SOURCE)
    try:
        subprocess.run([cc, "-O3", "-std=gnu99", "-shared", "-fPIC", "-ffp-contract=off", "-fno-strict-aliasing",
                        "-pthread", "-o", shared, source, "-lm"], check=True, capture_output=True, timeout=120)
        library = ctypes.CDLL(shared)
        fn, advance = library.kbh_uniform_f32, library.kbh_mt_advance
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the library stays mapped
    fn.restype = None
    fn.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int64, ctypes.c_void_p,
                   ctypes.c_float, ctypes.c_float, ctypes.c_int, ctypes.c_int]
    advance.restype = None
    advance.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int64]
    _library["fn"], _library["advance"] = fn, advance
    return fn


def _unpack(state_bytes):
    """(words, pos) from torch's generator state, or None for a layout this does not know."""
    if len(state_bytes) < _STATE_BYTES:
        return None
    left, = struct.unpack_from("<i", state_bytes, 8)
    nxt, = struct.unpack_from("<Q", state_bytes, 16)
    words = (ctypes.c_uint32 * _N)(*struct.unpack_from(f"<{_N}Q", state_bytes, 24))
    # torch regenerates when --left reaches 0, i.e. when left is 1 (fresh seed: next 0; block used up: next 624).
    pos = _N if left == 1 else nxt
    return (words, pos) if 0 <= pos <= _N else None


def _pack(state_bytes, words, pos):
    out = bytearray(state_bytes)
    struct.pack_into("<i", out, 8, _N + 1 - pos)
    struct.pack_into("<Q", out, 16, pos)
    struct.pack_into(f"<{_N}Q", out, 24, *words)
    return torch.frombuffer(out, dtype=torch.uint8).clone()


def _bounds(args, kwargs):
    names = ("from", "to")
    values = dict(zip(names, args))
    values.update({k: v for k, v in kwargs.items() if k in names})
    if len(args) > 2 or set(kwargs) - {"from", "to", "generator"} or kwargs.get("generator") is not None:
        return None
    return float(values.get("from", 0.0)), float(values.get("to", 1.0))


def uniform_(tensor, args, kwargs, original, get_state, set_state):
    """Fills tensor (contiguous, float32, CPU) as original(tensor, *args, **kwargs) would, from the default generator;
    False (nothing done) when the fast loop is off, missing, or does not give torch's own prefix."""
    bounds = _bounds(args, kwargs)
    # A leaf that requires grad, outside no_grad: torch refuses the in-place fill, so torch must be the one to say so.
    plain = tensor.dtype == torch.float32 and not (tensor.requires_grad and torch.is_grad_enabled())
    fn = _load() if enabled() and bounds is not None and plain else None
    if fn is None:
        stats["fallback"] += 1
        return False
    lo, hi = bounds
    current = _current(get_state)
    if current is None:
        stats["fallback"] += 1
        return False
    state, raw, words, pos = current
    probe = torch.empty(min(_PREFIX, tensor.numel()), dtype=torch.float32)
    original(probe, lo, hi)  # torch's own values from this very state
    set_state(state)
    mode = _matching_mode(fn, words, pos, probe, lo, hi)
    if mode is None:
        stats["fallback"] += 1
        return False
    position = ctypes.c_int(pos)
    with _host_cores():  # the loop's pthreads start on the calling thread's cores
        fn(words, ctypes.byref(position), tensor.numel(), tensor.data_ptr(), lo, hi, mode, _cores())
    set_state(_pack(raw, words, position.value))
    stats["fast"] += 1
    return True


_host = {"cpus": None}  # cores this worker's own threads may use besides its own (use_host_cores), or None


def use_host_cores(cpus):
    """The cores (KBH_HOST_CPUS: the worker's own, then the build workers') that this module's parallel draws and
    copies run on. The harness pins a GPU worker to two cores of its own so that the thread launching timed kernels is
    never crowded; the draws need many more, and the builds' cores are idle in a warm run (or busy with nice-19
    compilers, which these threads run ahead of)."""
    _host["cpus"] = frozenset(cpus) if cpus else None


def host_cores():
    """The cores use_host_cores gave, sorted (empty when none): a candidate's process replays the reference's weight
    fills on them too (kbh_runner), as the judge would have."""
    return sorted(_host["cpus"] or ())


@contextlib.contextmanager
def _host_cores():
    """The calling thread on the host cores while the block runs (threads it starts inherit them), then back on its own:
    candidate code and kernel launches never run on a widened thread."""
    wide, own = _host["cpus"], None
    if wide and hasattr(os, "sched_setaffinity"):
        try:
            own = os.sched_getaffinity(0)
            if wide <= own:
                own = None
            else:
                os.sched_setaffinity(0, wide)
        except OSError:  # a core the machine no longer offers: stay on the worker's own
            own = None
    try:
        yield
    finally:
        if own is not None:
            os.sched_setaffinity(0, own)


def _cores():
    """How many threads a parallel draw or copy gets: the host cores when the harness gave some, else the cores this
    worker may run on."""
    if _host["cpus"]:
        return len(_host["cpus"])
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _matching_mode(fn, words, pos, probe, lo, hi):
    """The arithmetic (index into _MODES) whose first values equal torch's probe bit for bit, or None."""
    order = [_winner["mode"]] + [m for m in range(len(_MODES)) if m != _winner["mode"]]
    for mode in order:
        trial, position = (ctypes.c_uint32 * _N)(*words), ctypes.c_int(pos)
        values = torch.empty_like(probe)
        fn(trial, ctypes.byref(position), values.numel(), values.data_ptr(), lo, hi, mode, 1)
        if _equal(values.view(torch.int32), probe.view(torch.int32)):
            _winner["mode"] = mode
            return mode
    return None


# ------------------------------------------------------------------------------------------------------------------
# Parallel parts drawn by torch itself (normal_ above all: torch.randn makes most of KernelBench's inputs).
#
# A float32 uniform_ or normal_ on a contiguous CPU tensor takes one 32-bit word per value, in order (normal_: a
# uniform per value first, then Box-Muller within each 16, the last 16 redrawn when the size is no multiple of 16). So
# the part of the tensor starting at value b is exactly what torch's own fill of that part makes from a generator b
# words on. kbh_mt_advance computes those starts (the recurrence only, ~1 ns a word); each part is then filled by
# torch itself, on its own thread (torch releases the GIL) with its own generator. Nothing rests on the advance being
# right: when the parts are done, every part's generator must have ended exactly where the next part's began, which
# is what a serial draw would have done; any difference and torch redraws the whole fill serially, and the parallel
# fill stays off for that method in this process.

_PART_MIN = 1 << 18  # values a thread gets at least: below that a thread costs more than it saves
_PART_ALIGN = 1024  # part sizes: whole pages and whole 16-value blocks
_parallel_off = set()  # methods whose boundary check once failed in this process
parallel_stats = {"parallel": 0, "declined": 0, "redrawn": 0}


def _current(get_state):
    """(state tensor, its bytes, words, pos) of the default generator, or None for a state layout this does not know."""
    state = get_state()
    raw = state.numpy().tobytes()
    unpacked = _unpack(raw)
    return None if unpacked is None else (state, raw, *unpacked)


def _on_threads(calls, work):
    """work(*call) for every call at once: the first on this thread, the others on threads of their own (torch's
    fills and copies release the GIL)."""
    with _host_cores():  # the threads inherit the host cores; this one is back on its own after
        threads = [threading.Thread(target=work, args=call) for call in calls[1:]]
        for t in threads:
            t.start()
        work(*calls[0])
        for t in threads:
            t.join()


def _parts(n, threads):
    """[(begin, end)] covering [0, n): at most `threads` parts, each a multiple of _PART_ALIGN but the last, which is
    never shorter than 16 (a shorter tail goes to the part before it)."""
    size = max(_PART_MIN, -(-n // threads))
    size = -(-size // _PART_ALIGN) * _PART_ALIGN
    parts = [(b, min(b + size, n)) for b in range(0, n, size)]
    if len(parts) > 1 and parts[-1][1] - parts[-1][0] < 16:
        parts[-2:] = [(parts[-2][0], n)]
    return parts


def parallel_(tensor, name, args, kwargs, original, get_state, set_state):
    """tensor.<name>(*args, **kwargs) (name: "uniform_" or "normal_") from the default generator, made by torch's own
    fill on parts at once; False (nothing drawn, the generator untouched) when it does not apply: off, another dtype,
    a generator of the caller's, too small for two parts, no compiler."""
    plain = (tensor.dtype == torch.float32 and tensor.device.type == "cpu" and tensor.is_contiguous()
             and kwargs.get("generator") is None and not (tensor.requires_grad and torch.is_grad_enabled()))
    parts = _parts(tensor.numel(), _cores()) if plain else []
    if not enabled() or name in _parallel_off or len(parts) < 2 or _load() is None:
        parallel_stats["declined"] += 1
        return False
    current = _current(get_state)
    if current is None:
        parallel_stats["declined"] += 1
        return False
    state, raw, words, pos = current
    position = ctypes.c_int(pos)
    starts, generators = [], []  # per part: where the serial fill would be there, and a generator set to it
    for begin, end in parts:
        starts.append((bytes(words), position.value))
        generators.append(torch.Generator())
        generators[-1].set_state(_pack(raw, words, position.value))
        _library["advance"](words, ctypes.byref(position), end - begin)
    flat, given = tensor.detach().view(-1), {k: v for k, v in kwargs.items() if k != "generator"}
    errors = []

    def fill(begin, end, generator):
        try:
            original(flat[begin:end], *args, generator=generator, **given)
        except Exception as error:  # noqa: BLE001 - any failure means the serial fill below
            errors.append(error)

    _on_threads([(b, e, g) for (b, e), g in zip(parts, generators)], fill)
    ends = [_unpack(g.get_state().numpy().tobytes()) for g in generators[:-1]]
    joined = not errors and all(end is not None and (bytes(end[0]), end[1]) == start
                                for end, start in zip(ends, starts[1:]))
    if not joined:
        # Another torch (other words per value): the values cannot be trusted, so torch draws them all from the start.
        _parallel_off.add(name)
        parallel_stats["redrawn"] += 1
        set_state(state)
        original(tensor, *args, **kwargs)
        return True
    set_state(generators[-1].get_state())
    parallel_stats["parallel"] += 1
    return True


def copy_into(dst, src):
    """dst.copy_(src) for two contiguous CPU tensors of one size and dtype, in parts on the worker's cores: a copy
    into fresh memory is mostly page faults, which threads take in parallel (torch's own copy faults on one core). The
    memo's record of a fill and its replay into a candidate's weights go through here. Not parallel: a plain copy."""
    d, s = dst.detach().view(-1), src.detach().view(-1)
    parts = _parts(d.numel(), _cores()) if (enabled() and d.device.type == "cpu" and s.device.type == "cpu"
                                            and d.is_contiguous() and s.is_contiguous()) else []
    if len(parts) < 2:
        d.copy_(s)
        return dst
    _on_threads(parts, lambda b, e: d[b:e].copy_(s[b:e]))
    return dst
