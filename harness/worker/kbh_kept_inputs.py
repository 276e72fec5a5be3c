"""The judge's inputs as a candidate process keeps them, per seed (kbh_handover sends them): sealed memfds mapped
read-only, or on a GPU the judge's exported GPU memory mapped here. Every call of the candidate gets fresh copies;
what is kept is never handed to candidate code, so the values the judge sent stay the values it checks against."""
import os

import torch

import kbh_tensors


class KeptInputs:
    def __init__(self):
        self.by_seed = {}  # seed -> (read-only tensors or values, fds or GPU mappings to release)
        self.shared = None  # (views, mappings) of the judge's input allocation kept across seeds (kbh_handover)

    def receive(self, msg, fds, device):
        """One seed's inputs (replace: the seeds kept before are let go; same_memory: its values are in the
        allocation kept from before; keep: keep this allocation for the later seeds)."""
        if msg.get("same_memory"):
            self._forget_all()
            self.by_seed[msg["seed"]] = (self._views(msg["specs"]), [])
            return
        if msg.get("replace"):
            self._forget_all()
            self._drop_shared()
        if any(s.get("where") == "cuda" for s in msg["specs"]):
            try:
                values, mappings = kbh_tensors.unpack_device(msg["specs"], fds, device)
            finally:
                for fd in fds:
                    os.close(fd)
            if msg.get("keep"):  # kept for the later seeds, which the judge copies into the same memory
                self.shared = ([v for v in values if isinstance(v, torch.Tensor)], mappings)
                mappings = []
            self.by_seed[msg["seed"]] = (values, mappings)
        else:
            self.by_seed[msg["seed"]] = (kbh_tensors.unpack(msg["specs"], fds, readonly=True), fds)

    def master(self, seed):
        """The kept values themselves (for comparisons only, never for candidate code)."""
        return self.by_seed[seed][0]

    def copies(self, seed, device):
        """Fresh copies of one seed's inputs on device, for one call."""
        return [t.to(device=device, copy=True) if isinstance(t, torch.Tensor) else t for t in self.master(seed)]

    def release_mapped(self, seed):
        """Lets go of a seed's GPU memory mapped from the judge (not of memfds: their seed is used again)."""
        if seed in self.by_seed and not any(isinstance(h, int) for h in self.by_seed[seed][1]):
            self._forget(seed)

    def _views(self, specs):
        views = iter(self.shared[0] if self.shared else ())
        values = []
        for spec in specs:
            if spec.get("kind") == "tensor":
                view = next(views)
                if [int(d) for d in view.shape] != spec["shape"] or kbh_tensors.dtype_name(view.dtype) != spec["dtype"]:
                    raise RuntimeError("the judge's inputs do not fit the memory kept for them")
                values.append(view)
            else:
                values.append(kbh_tensors.decode_value(spec.get("value")))
        return values

    def _drop_shared(self):
        if self.shared:
            for m in self.shared[1]:
                m.release()
        self.shared = None

    def _forget_all(self):
        for seed in list(self.by_seed):
            self._forget(seed)

    def _forget(self, seed):
        _, holders = self.by_seed.pop(seed)
        for h in holders:
            if isinstance(h, int):
                os.close(h)
            else:
                h.release()
