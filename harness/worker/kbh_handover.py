"""How a check hands one problem's inputs to a candidate process.

On the CPU (and where the driver refuses to share GPU memory) every seed's inputs go up front, in the sealed memfds
the judge keeps them in (kbh_check.sealed_inputs): the candidate maps them read-only and copies them for each call.
On a GPU each seed's inputs go just before the call that uses them, in GPU memory the judge fills from its page-locked
host copy and exports (kbh_cudashare); the candidate process maps it and copies it device to device for each call,
and lets the previous seed's go. Gigabyte Level 1 inputs then cross at the bus's speed once per trial, as in one
process, and the judge lets go of its own handle as soon as the candidate has mapped them.

Inputs of up to _KEEP_BYTES stay in one exported allocation for the whole check instead: the first seed's is exported
and mapped, every later seed's values are copied into it (the candidate process keeps its mapping and copies them out
for each call, as before). Handing each seed over afresh cost an H100 0.02-0.16 s (session 16, measured while the
judge's host tensors still went in memfds). A candidate that writes into that memory changes only its own next inputs, which the judge overwrites
before each seed and never reads back."""
import torch

import kbh_check
import kbh_cudashare
import kbh_files
import kbh_tensors


class Inputs:
    def __init__(self, proc, problem, device, dtype, on_device):
        self.proc, self.problem, self.device, self.dtype, self.on_device = proc, problem, device, dtype, on_device
        self.exporter = kbh_cudashare.Exporter(device) if device.type == "cuda" else None
        self.via = "gpu_memory" if self.exporter else "host_memfd"
        self.note = ""
        self.outputs_via = None
        self.kept_layout = None  # the tensors' (dtype, shape) while the candidate keeps the exported allocation
        self.fell_back = False  # GPU memory could not be shared during this check: memfds from then on

    def up_front(self, seeds):
        """Outside the GPU turn: every seed's memfds, unless they will go in GPU memory one by one."""
        if self.exporter is None:
            for s in seeds:
                self._send_sealed(s)

    def before(self, seed):
        """Inside the GPU turn, before the call(s) of seed."""
        if self.exporter is None:
            if self.fell_back:
                self._send_sealed(seed, replace=True)
            return
        values = kbh_check.seed_values(self.problem, seed, self.device, self.dtype, self.on_device)
        layout = _layout(values)
        if layout is not None and layout == self.kept_layout and self._fill(values):
            self.proc.call("inputs", seed=seed, specs=_specs(values), same_memory=True)
            return
        keep = layout is not None and \
            sum(t.numel() * t.element_size() for t in values if isinstance(t, torch.Tensor)) <= _KEEP_BYTES
        try:
            # The kept host copy (inputs: cpu) is copied into GPU memory here too: the candidate's process then copies
            # it device to device for each call, as the judge's own trials do.
            specs, fds = kbh_tensors.pack(values, "kbh-in", exporter=self.exporter, strict=True, host_too=True)
        except kbh_cudashare.ShareFailed as e:  # this driver or device does not share: host memory from here on
            self.close()
            self.exporter, self.via, self.note, self.fell_back = None, "host_memfd", str(e)[:300], True
            self._send_sealed(seed, replace=True)
            return
        self.kept_layout = None
        try:
            self.proc.call("inputs", fds=fds, seed=seed, specs=specs, replace=True, keep=keep)
        finally:
            kbh_files.close_all(fds)
            if keep:
                self.kept_layout = layout
            else:
                self.exporter.release()  # the candidate's mapping keeps the memory until it lets go of it

    def _fill(self, values):
        try:
            for i, v in enumerate(values):
                if isinstance(v, torch.Tensor):
                    self.exporter.fill(("kbh-in", i), v)
            return True
        except kbh_cudashare.ShareFailed:
            return False

    def close(self):
        """At the end of the check: the judge's handle on the kept allocation (the candidate's process ends next)."""
        if self.exporter is not None:
            self.exporter.release()
        self.kept_layout = None

    def _send_sealed(self, seed, replace=False):
        specs, fds = kbh_check.sealed_inputs(self.problem, seed, self.device, self.dtype, self.on_device)
        self.proc.call("inputs", fds=fds, seed=seed, specs=specs, replace=replace)

    def saw_outputs(self, specs):
        """What the candidate process sent its outputs in (it chooses; the judge reads either as data)."""
        if isinstance(specs, list) and any(isinstance(s, dict) and s.get("kind") == "tensor" for s in specs):
            gpu = any(isinstance(s, dict) and s.get("where") == "cuda" for s in specs)
            self.outputs_via = "gpu_memory" if gpu else "host_memfd"

    def record(self):
        return {"inputs_handed_over_in": self.via, **({"outputs_handed_over_in": self.outputs_via}
                                                       if self.outputs_via else {}),
                **({"handover_note": self.note} if self.note else {})}


# Larger inputs are let go after each seed: the comparison after the call needs the room, and a judge that runs out of
# GPU memory there is reported against the candidate's process, which holds the rest.
_KEEP_BYTES = 512 << 20


def _layout(values):
    """The tensors' dtypes and shapes; None when a value cannot go in a kept allocation's message (an object)."""
    if not all(isinstance(v, torch.Tensor) or kbh_tensors.plain(v) for v in values):
        return None
    return [(str(v.dtype), tuple(v.shape)) if isinstance(v, torch.Tensor) else "value" for v in values]


def _specs(values):
    """What the candidate's process is told of one seed's values when its tensors are in the kept allocation."""
    return [kbh_tensors.spec_of(v, where="cuda") for v in values]
