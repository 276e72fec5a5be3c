"""How a check hands one problem's inputs to a candidate process.

On the CPU (and where the driver refuses to share GPU memory) every seed's inputs go up front, in the sealed memfds
the judge keeps them in (kbh_check.sealed_inputs): the candidate maps them read-only and copies them for each call.
On a GPU each seed's inputs go just before the call that uses them, in GPU memory the judge fills from its page-locked
host copy and exports (kbh_cudashare); the candidate process maps it and copies it device to device for each call,
and lets the previous seed's go. Gigabyte Level 1 inputs then cross at the bus's speed once per trial, as in one
process, and the judge lets go of its own handle as soon as the candidate has mapped them."""
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

    def up_front(self, seeds):
        """Outside the GPU turn: every seed's memfds, unless they will go in GPU memory one by one."""
        if self.exporter is None:
            for s in seeds:
                self._send_sealed(s)

    def before(self, seed):
        """Inside the GPU turn, before the call(s) of seed."""
        if self.exporter is None:
            return
        values = kbh_check.seed_values(self.problem, seed, self.device, self.dtype, self.on_device)
        try:
            specs, fds = kbh_tensors.pack(values, "kbh-in", exporter=self.exporter, strict=True)
        except kbh_cudashare.ShareFailed as e:  # this driver or device does not share: host memory from here on
            self.exporter.release()
            self.exporter, self.via, self.note = None, "host_memfd", str(e)[:300]
            self._send_sealed(seed, replace=True)
            return
        try:
            self.proc.call("inputs", fds=fds, seed=seed, specs=specs, replace=True)
        finally:
            kbh_files.close_all(fds)
            self.exporter.release()  # the candidate's mapping keeps the memory until it lets go of it

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
