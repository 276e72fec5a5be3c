"""KernelBench builds both models on the CPU after the same seed, so a large nn.Linear's weights are drawn by the serial
CPU generator twice per candidate: ~7 s for a 32768 x 32768 layer, most of a warm check (H200, 2026-12-02).

Filling a contiguous CPU tensor with uniform_/normal_ is a pure function of the generator's state, the element count,
the dtype and the arguments: the same call from the same state writes the same values and leaves the same state. So
while the reference is constructed, every large fill is recorded (values and the state after it), and when a
candidate's construction makes the very same call from the very same state, the recorded values are copied in and
the generator is set to the recorded state: the candidate gets bit for bit the weights the generator would have
drawn, at memcpy speed. Any other call (another state, size, dtype, generator or a non-contiguous tensor) runs as
usual. Only the reference's fills are kept (one problem at a time), at most KBH_INIT_MEMO_BYTES (default 16 GiB) of
them per worker: L3/2's three 32768-wide layers are 8.6 GB. A large fill that is not a replay is drawn by
kbh_fast_fill on the worker's cores (the same values: a uniform_ checked against torch's own prefix of every fill, a
normal_ made by torch in parts that must join up); recording and replaying copy in parts too."""
import contextlib
import hashlib
import math
import os

import torch

import kbh_fast_fill

_MIN_NUMEL = 1 << 20  # below ~1M elements a fill takes milliseconds: not worth a state hash
_METHODS = ("uniform_", "normal_")
# The worker's own references, taken before any candidate code runs.
_get_state, _set_state, _original = torch.get_rng_state, torch.set_rng_state, {m: getattr(torch.Tensor, m) for m in _METHODS}


# torch.randn(size) is empty(size).normal_(0, 1) and torch.rand(size) empty(size).uniform_(0, 1) (the same values and
# generator steps), but as one C++ call they never pass through Tensor.normal_/uniform_; while patched, a large float32
# one on the CPU from the default generator is made that way, so it is remembered, replayed and drawn in parallel too.
_CREATORS = {"randn": "normal_", "rand": "uniform_"}
_CREATOR_KEYS = {"dtype", "device", "requires_grad"}


def _creator(method, original):
    def create(*size, **kwargs):
        shape = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list, torch.Size)) else size
        dtype, device = kwargs.get("dtype") or torch.get_default_dtype(), kwargs.get("device")
        if set(kwargs) - _CREATOR_KEYS or dtype != torch.float32 or device not in (None, "cpu", torch.device("cpu")) \
                or not all(type(d) is int for d in shape) or math.prod(shape) < _MIN_NUMEL:
            return original(*size, **kwargs)
        tensor = torch.empty(tuple(shape), dtype=torch.float32)
        getattr(tensor, method)(0.0, 1.0)
        return tensor.requires_grad_(bool(kwargs.get("requires_grad", False)))

    return create


class InitMemo:
    def __init__(self, limit_bytes=None, shared=False):
        self._fills = {}  # key -> (values, generator state after the fill)
        self._fds = {}  # key -> the sealed memfd holding the values (shared: for a candidate's process)
        self._bytes = 0
        self.replayed = 0
        self.shared = shared
        self.limit_bytes = limit_bytes if limit_bytes is not None else int(os.environ.get("KBH_INIT_MEMO_BYTES", 16 << 30))

    def clear(self):
        for fd in self._fds.values():
            os.close(fd)
        self._fills, self._fds, self._bytes, self.replayed = {}, {}, 0, 0

    def handover(self, per_message=32):
        """The recorded fills for a candidate's process, in batches of (entries, fds): the values in sealed memfds
        (nobody can change them once sealed), the generator states and keys as JSON. Candidates' constructions replay
        them (adopt()) instead of drawing the same values again."""
        import base64
        batch, fds = [], []
        for key, (values, after) in self._fills.items():
            if key not in self._fds:
                continue
            batch.append({"key": list(key), "state": base64.b64encode(after.numpy().tobytes()).decode(),
                          "spec": {"kind": "tensor", "dtype": str(values.dtype).replace("torch.", ""),
                                   "shape": [values.numel()]}})
            fds.append(self._fds[key])
            if len(batch) == per_message:
                yield batch, fds
                batch, fds = [], []
        if batch:
            yield batch, fds

    def adopt(self, entries, fds):
        """Fills another process recorded (handover()), mapped read-only here; fds are kept until clear()."""
        import base64
        import kbh_tensors
        for entry, fd in zip(entries, fds):
            key = tuple(entry["key"])
            state = torch.frombuffer(bytearray(base64.b64decode(entry["state"])), dtype=torch.uint8)
            self._fills[key] = (kbh_tensors.map_readonly(fd, entry["spec"]), state)
            self._fds[key] = fd

    @contextlib.contextmanager
    def recording(self):
        """Around the reference's construction: large fills are made as usual and remembered."""
        with self._patched(record=True):
            yield

    @contextlib.contextmanager
    def replaying(self):
        """Around a candidate's construction: fills the reference made from the same state are copied in."""
        with self._patched(record=False):
            yield

    @contextlib.contextmanager
    def _patched(self, record):
        own = {m: torch.Tensor.__dict__.get(m) for m in _METHODS}
        ours = {m: self._method(m, record) for m in _METHODS}
        creators = {}  # name -> (torch's function before, ours)
        for name, method in _CREATORS.items():
            before = getattr(torch, name)
            creators[name] = (before, _creator(method, before))
        for m in _METHODS:
            setattr(torch.Tensor, m, ours[m])
        for name, (_, fast) in creators.items():
            setattr(torch, name, fast)
        try:
            yield
        finally:
            for m, before in own.items():
                if torch.Tensor.__dict__.get(m) is not ours[m]:
                    continue  # replaced meanwhile (by a candidate's code): left for the guard to see
                if before is None:
                    delattr(torch.Tensor, m)  # back to the inherited C method
                else:
                    setattr(torch.Tensor, m, before)
            for name, (before, fast) in creators.items():
                if getattr(torch, name) is fast:
                    setattr(torch, name, before)

    def _method(self, name, record):
        original, memo = _original[name], self

        def fill(tensor, *args, **kwargs):
            if kwargs.get("generator") is not None or type(tensor) not in (torch.Tensor, torch.nn.Parameter) \
                    or tensor.device.type != "cpu" or not tensor.is_contiguous() or tensor.numel() < _MIN_NUMEL:
                return original(tensor, *args, **kwargs)
            state = _get_state()
            key = (name, tensor.numel(), str(tensor.dtype), repr(args), repr(sorted(kwargs.items())),
                   hashlib.sha256(state.numpy().tobytes()).hexdigest())
            hit = memo._fills.get(key)
            if hit is not None:
                values, after = hit
                with torch.no_grad():
                    kbh_fast_fill.copy_into(tensor, values)
                _set_state(after)
                memo.replayed += 1
                return tensor
            if (name == "uniform_" and kbh_fast_fill.uniform_(tensor, args, kwargs, original, _get_state, _set_state)) \
                    or kbh_fast_fill.parallel_(tensor, name, args, kwargs, original, _get_state, _set_state):
                result = tensor
            else:
                result = original(tensor, *args, **kwargs)
            size = tensor.numel() * tensor.element_size()
            if record and memo._bytes + size <= memo.limit_bytes:
                if memo.shared:  # in a sealed memfd, to hand to candidates' processes
                    import kbh_tensors
                    fd, spec = kbh_tensors.write_memfd(tensor.view(-1), "kbh-init", seal=True,
                                                       copy=kbh_fast_fill.copy_into)
                    memo._fds[key] = fd
                    kept = kbh_tensors.map_readonly(fd, spec)
                else:
                    kept = kbh_fast_fill.copy_into(torch.empty(tensor.numel(), dtype=tensor.dtype), tensor)
                memo._fills[key] = (kept, _get_state())
                memo._bytes += size
            return result

        return fill


def fast_draws():
    """Around code whose large draws should be made in parallel and not remembered (KernelBench's get_inputs())."""
    return InitMemo(limit_bytes=0).recording()
