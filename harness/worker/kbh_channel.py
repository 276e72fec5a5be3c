"""Messages between the judge and a candidate process: length-prefixed JSON over a Unix socket, with file descriptors
(the tensors' memfds) passed beside them (SCM_RIGHTS).

The judge reads what a candidate process sends as hostile data: every read has a deadline, a message larger than
MAX_MESSAGE or one carrying more than MAX_FDS descriptors ends the conversation (ChannelError), and nothing received is
ever unpickled or evaluated: a message is JSON, a tensor is raw bytes in a memfd whose size the judge checks.
"""
import json
import os
import select
import socket
import struct
import time

MAX_MESSAGE = 1 << 20
MAX_FDS = 64
_HEADER = struct.Struct("!I")


class ChannelError(Exception):
    """The other side broke the protocol: closed, too slow, too large, or not JSON."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind  # "closed", "deadline", "flood", "garbage"


def pair():
    """A connected (judge end, candidate end) socket pair; the candidate end is inheritable."""
    judge, candidate = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    candidate.set_inheritable(True)
    return judge, candidate


def send(sock, message, fds=()):
    data = json.dumps(message, allow_nan=False).encode("utf-8")
    frame = _HEADER.pack(len(data)) + data
    if fds:
        sent = sock.sendmsg([frame[:1]], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack(f"{len(fds)}i", *fds))])
        frame = frame[sent:]
    sock.sendall(frame)


def receive(sock, deadline=None, max_bytes=MAX_MESSAGE):
    """(message, fds) of the next message; deadline is a time.monotonic() value or None (wait for ever)."""
    fds = []
    try:
        header = _read(sock, _HEADER.size, deadline, fds)
        (size,) = _HEADER.unpack(header)
        if size > max_bytes:
            raise ChannelError("flood", f"a message of {size} bytes, over the {max_bytes} allowed")
        data = _read(sock, size, deadline, fds)
        try:
            message = json.loads(data.decode("utf-8"), parse_constant=_not_json)
        except (ValueError, RecursionError) as e:  # (nesting deep enough to exhaust the parser: not JSON to us)
            raise ChannelError("garbage", f"a message that is not JSON ({type(e).__name__})")
        if not isinstance(message, dict):
            raise ChannelError("garbage", "a message that is not a JSON object")
        return message, fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _not_json(name):
    """NaN and Infinity are no JSON: a process that sends them (its send patched) broke the protocol (a red-team review
    made a timed batch's sum infinite with them, session 19)."""
    raise ValueError(f"{name} is not JSON")


def _read(sock, n, deadline, fds):
    chunks, have = [], 0
    while have < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                raise ChannelError("deadline", "no answer before the deadline")
        data, ancillary, flags, _ = sock.recvmsg(min(n - have, 1 << 20), socket.CMSG_SPACE(MAX_FDS * 4))
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.extend(struct.unpack(f"{len(payload) // 4}i", payload[:len(payload) - len(payload) % 4]))
        if len(fds) > MAX_FDS or flags & socket.MSG_CTRUNC:  # more than fit: the kernel closed the rest
            raise ChannelError("flood", f"more than {MAX_FDS} file descriptors in one message")
        if not data:
            raise ChannelError("closed", "the candidate process closed its channel")
        chunks.append(data)
        have += len(data)
    return b"".join(chunks)
