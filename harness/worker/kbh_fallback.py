"""Exceptions raised and caught inside the candidate's own code while its forward runs: evidence that a fallback ran.

Runs in the candidate's process, so what it finds is self-reported (a candidate can switch it off). Only code compiled
from the candidate's file counts: an exception the candidate's forward catches, in forward or in a helper it calls,
whoever raised it (its kernel's launch, torch, itself). A `try` that never fires leaves nothing here.

Python 3.12+ has sys.monitoring: EXCEPTION_HANDLED costs nothing until an exception is caught, so timed calls are
watched too. Python 3.11 has only sys.settrace, which slows every Python call it sees: there the correctness trials
and the warm-up are watched and the timed calls are not (the record says so).
"""
import sys

_MONITORING = hasattr(sys, "monitoring")
_MAX_RECORDED = 8


class FallbackWatch:
    def __init__(self, filename):
        self.filename = filename
        self.seen = []  # {"trial", "exception", "line"}, the first few
        self.count = 0
        self.where = None
        self._tool = None
        self._pending = {}
        self._reported = 0

    @property
    def watches_timed_calls(self):
        return _MONITORING

    def method(self):
        return "sys.monitoring EXCEPTION_HANDLED" if _MONITORING else "sys.settrace (timed calls not watched)"

    def new(self):
        """What was caught since the last call, as findings."""
        fresh = self.seen[self._reported:]
        self._reported = len(self.seen)
        return [{"rule": "fallback_taken", "severity": "reject", "trial": s["trial"],
                 "line": s["line"], "message": f"{s['trial']}: {s['exception']} was raised and caught at line "
                                               f"{s['line']} of the candidate's code during forward(): a fallback ran"}
                for s in fresh]

    def _record(self, exc, line):
        self.count += 1
        if len(self.seen) < _MAX_RECORDED:
            text = f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else repr(exc)
            self.seen.append({"trial": self.where or "forward", "exception": text[:300], "line": line})

    # -- Python 3.12+ -----------------------------------------------------------------------------------------------
    def start(self, where):
        """Watches from now until stop(); where: the trial named in what is found."""
        self.where = where
        if _MONITORING:
            if self._tool is None:
                self._tool = _free_tool()
                if self._tool is None:
                    return
                sys.monitoring.register_callback(self._tool, sys.monitoring.events.EXCEPTION_HANDLED, self._handled)
            sys.monitoring.set_events(self._tool, sys.monitoring.events.EXCEPTION_HANDLED)
        else:
            self._pending.clear()
            sys.settrace(self._global)

    def stop(self):
        if _MONITORING:
            if self._tool is not None:
                sys.monitoring.set_events(self._tool, 0)
        else:
            sys.settrace(None)
            self._pending.clear()

    def _handled(self, code, offset, exc):
        if code.co_filename == self.filename:
            self._record(exc, _line_of(code, offset))

    # -- Python 3.11: an "exception" event in one of the candidate's frames, then a "line" event in that same frame:
    # execution went on there, so the frame caught it ("return" instead: it propagated).
    def _global(self, frame, event, arg):
        if frame.f_code.co_filename != self.filename:
            return None
        frame.f_trace_lines = False
        return self._local

    def _local(self, frame, event, arg):
        if event == "exception":
            self._pending[frame] = arg[1]
            frame.f_trace_lines = True
        elif event == "line" and frame in self._pending:
            self._record(self._pending.pop(frame), frame.f_lineno)
            frame.f_trace_lines = False
        elif event == "return":
            self._pending.pop(frame, None)
        return self._local


def _free_tool():
    for tool in (5, 4, 3):
        try:
            sys.monitoring.use_tool_id(tool, "kbh_fallback")
            return tool
        except ValueError:
            continue
    return None


def _line_of(code, offset):
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line
    return code.co_firstlineno
