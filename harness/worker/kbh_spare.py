"""The next candidate's process, started while the current candidate is judged.

A candidate's process costs about half a second of lane time before its candidate is even imported: the fork, the
sandbox, the CUDA context and the judge's measure of its idle CPU use (session 12, H200). None of that depends on
which candidate will run in it, so the judge starts one spare process ahead, in a background thread, and hands it
to the next check whose sandbox would be the same. The candidate's source then reaches it over the channel (its file
is bound into a process only when it is started for that candidate).

Two fork servers take turns: ending a candidate's process kills everything its fork server started (that is how
nothing a candidate starts outlives it), so the spare must come from the other one. A spare is never reused: each
serves exactly one candidate, and one that fails or waits for a different sandbox is ended and replaced.
"""
import contextlib
import threading
import time

import kbh_evidence
import kbh_spawn


class _Spare:
    def __init__(self, key, server):
        self.key = key
        self.server = server
        self.proc = None
        self.error = None
        self.ready_s = 0.0  # how long it took to get ready, in the background
        self.thread = None

    def start(self, config, timeout_s, device, starting):
        def run():
            started = time.perf_counter()
            try:
                self.proc = kbh_spawn.CandidateProcess(self.server, config, timeout_s)
                if device is not None:
                    with starting:  # its GPU work never beside timed calls (kbh_gpu_turn.starting)
                        self.proc.call("prepare", device=device)
                    self.proc.idle_cpu_rate = kbh_evidence.idle_cpu_rate(self.proc)
            except Exception as e:  # a spare that fails costs nothing: the check starts its own process
                self.error = e
            self.ready_s = time.perf_counter() - started
        self.thread = threading.Thread(target=run, name="kbh-spare", daemon=True)
        self.thread.start()

    def end(self):
        self.thread.join()
        if self.proc is not None:
            self.proc.finish()


class Spares:
    """At most one spare process, on whichever of the two fork servers the current candidate does not use."""

    def __init__(self, servers):
        self.servers = servers
        self._spare = None

    def free_server(self):
        """A fork server whose processes may all be killed now: not the spare's."""
        spare = self._spare
        return self.servers[1] if spare is not None and spare.server is self.servers[0] else self.servers[0]

    def take(self, key, timeout_s):
        """The spare process when it was made for this sandbox and is alive and ready, else None (and it is ended).
        Its deadline starts now."""
        spare, self._spare = self._spare, None
        if spare is None:
            return None
        # Bounded without a timeout here: each step of its start has its own deadline (the fork server's answer 30 s,
        # the process's hello 60 s, prepare the candidate's timeout), and no candidate code runs in it yet.
        spare.thread.join()
        # Only inside the whole sandbox (its own PID namespace, no ptrace) may a process wait while other candidates
        # run: one started beside a reference waited through other lanes' candidates and this lane's load jobs.
        if spare.key == key and spare.error is None and spare.proc is not None and sealed_off(spare.proc):
            spare.proc.restart_clock(timeout_s)
            if _alive(spare.proc):
                spare.proc.spare_ready_s = spare.ready_s
                return spare.proc
        spare.end()
        return None

    def start(self, key, config, timeout_s, device, busy_server, starting=contextlib.nullcontext()):
        """Starts the next spare on the fork server that busy_server (the current candidate's) is not. starting: the
        context its CUDA start runs in, once (kbh_gpu_turn.starting: the GPU's quiet lock, shared)."""
        self.discard()
        server = self.servers[1] if busy_server is self.servers[0] else self.servers[0]
        server.launch()  # here, in the judge's main thread: a fork server dies with the thread that started it
        spare = _Spare(key, server)
        spare.start(config, timeout_s, device, starting)
        self._spare = spare

    def pending(self):
        """Whether a spare has been started, not yet taken or discarded, and not known to have failed."""
        spare = self._spare
        return spare is not None and spare.error is None

    def discard(self):
        spare, self._spare = self._spare, None
        if spare is not None:
            spare.end()


def sealed_off(proc):
    """Whether proc runs inside the whole sandbox (namespaces and seccomp in force, nothing missing): no candidate can
    see, signal or trace it, so it may wait while other candidates run, or be the one whose check starts the next."""
    sandbox = proc.sandbox or {}
    return bool(sandbox.get("namespaces") and sandbox.get("seccomp") and not sandbox.get("missing"))


def _alive(proc):
    try:
        proc.call("ping")
        return True
    except kbh_spawn.CandidateFailed:
        return False
