"""kbh_channel: length-prefixed JSON over a Unix socket, descriptors passed beside it, hostile input refused."""
import os
import socket
import struct
import threading
import time

import pytest

import kbh_channel
from kbh_channel import ChannelError


@pytest.fixture
def ends():
    judge, candidate = kbh_channel.pair()
    yield judge, candidate
    judge.close()
    candidate.close()


def test_pair_gives_an_inheritable_candidate_end_only(ends):
    judge, candidate = ends
    assert candidate.get_inheritable() and not judge.get_inheritable()


def test_message_round_trips_as_json(ends):
    judge, candidate = ends
    message = {"op": "check", "seed": 42, "specs": [{"kind": "value", "value": 1.5}], "text": "ünïcode", "none": None}
    kbh_channel.send(candidate, message)
    assert kbh_channel.receive(judge, time.monotonic() + 5) == (message, [])


def test_frame_is_a_4_byte_big_endian_length_then_utf8_json(ends):
    judge, candidate = ends
    kbh_channel.send(candidate, {"a": "é"})
    (size,) = struct.unpack("!I", judge.recv(4))
    body = judge.recv(size)
    assert size == len(body) and body.decode("utf-8") == '{"a": "\\u00e9"}'


def test_messages_arrive_in_order_and_whole_when_written_byte_by_byte(ends):
    judge, candidate = ends
    data = b'{"n": 1}'
    frame = struct.pack("!I", len(data)) + data
    for b in frame + frame.replace(b"1", b"2"):
        candidate.send(bytes([b]))
    assert kbh_channel.receive(judge, time.monotonic() + 5)[0] == {"n": 1}
    assert kbh_channel.receive(judge, time.monotonic() + 5)[0] == {"n": 2}


def test_send_refuses_nan_which_json_cannot_carry(ends):
    _, candidate = ends
    with pytest.raises(ValueError):
        kbh_channel.send(candidate, {"x": float("nan")})


def test_descriptors_pass_beside_the_message_and_stay_usable(ends, tmp_path):
    judge, candidate = ends
    r, w = os.pipe()
    path = tmp_path / "f"
    path.write_text("hello")
    f = os.open(path, os.O_RDONLY)
    try:
        kbh_channel.send(candidate, {"op": "outputs"}, fds=[r, f])
        message, fds = kbh_channel.receive(judge, time.monotonic() + 5)
        assert message == {"op": "outputs"} and len(fds) == 2
        assert set(fds).isdisjoint({r, w, f})  # new descriptors in the receiver
        os.write(w, b"through the pipe")
        assert os.read(fds[0], 100) == b"through the pipe"
        assert os.read(fds[1], 100) == b"hello"
        for fd in fds:
            os.close(fd)
    finally:
        for fd in (r, w, f):
            os.close(fd)


def test_a_message_over_max_message_is_refused_before_its_body_is_read(ends):
    judge, candidate = ends
    candidate.sendall(struct.pack("!I", kbh_channel.MAX_MESSAGE + 1))  # a header alone: no body ever follows
    with pytest.raises(ChannelError, match="over the") as e:
        kbh_channel.receive(judge, time.monotonic() + 5)
    assert e.value.kind == "flood"


def test_max_bytes_is_the_limit_and_a_message_of_exactly_it_passes(ends):
    judge, candidate = ends
    kbh_channel.send(candidate, {"k": "v"})  # 10 bytes of JSON
    assert kbh_channel.receive(judge, time.monotonic() + 5, max_bytes=10)[0] == {"k": "v"}
    kbh_channel.send(candidate, {"k": "vv"})
    with pytest.raises(ChannelError) as e:
        kbh_channel.receive(judge, time.monotonic() + 5, max_bytes=10)
    assert e.value.kind == "flood"


def test_descriptors_beside_a_refused_message_are_closed(ends):
    judge, candidate = ends
    r, w = os.pipe()
    try:
        candidate.sendmsg([struct.pack("!I", kbh_channel.MAX_MESSAGE + 1)],
                          [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", r))])
        before = set(os.listdir("/proc/self/fd"))
        with pytest.raises(ChannelError):
            kbh_channel.receive(judge, time.monotonic() + 5)
        assert set(os.listdir("/proc/self/fd")) <= before
    finally:
        os.close(r)
        os.close(w)


def _send_with_fds(sock, data, fd, count):
    sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack(f"{count}i", *[fd] * count))])


def test_more_than_max_fds_descriptors_over_one_message_is_a_flood_and_all_are_closed(ends):
    judge, candidate = ends
    r, w = os.pipe()
    try:
        frame = struct.pack("!I", 2) + b"{}"
        _send_with_fds(candidate, frame[:1], r, 40)  # the kernel keeps each batch of descriptors with its own bytes
        _send_with_fds(candidate, frame[1:2], r, 40)
        before = set(os.listdir("/proc/self/fd"))
        with pytest.raises(ChannelError, match=f"more than {kbh_channel.MAX_FDS} file descriptors") as e:
            kbh_channel.receive(judge, time.monotonic() + 5)
        assert e.value.kind == "flood"
        assert set(os.listdir("/proc/self/fd")) <= before
    finally:
        os.close(r)
        os.close(w)


def test_more_than_max_fds_descriptors_in_one_sendmsg_is_a_flood(ends):
    judge, candidate = ends
    r, w = os.pipe()
    try:
        frame = struct.pack("!I", 2) + b"{}"
        _send_with_fds(candidate, frame, r, kbh_channel.MAX_FDS + 1)
        try:
            _, fds = kbh_channel.receive(judge, time.monotonic() + 5)
        except ChannelError as e:
            assert e.kind == "flood"
        else:
            for fd in fds:
                os.close(fd)
            pytest.fail(f"the message was accepted with {len(fds)} of its {kbh_channel.MAX_FDS + 1} descriptors")
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.parametrize("body, match", [(b"not json", "not JSON"), (b"[1, 2]", "not a JSON object"),
                                         (b"\xff\xfe", "not JSON")])
def test_garbage_is_refused(ends, body, match):
    judge, candidate = ends
    candidate.sendall(struct.pack("!I", len(body)) + body)
    with pytest.raises(ChannelError, match=match) as e:
        kbh_channel.receive(judge, time.monotonic() + 5)
    assert e.value.kind == "garbage"


def test_a_closed_channel_mid_message_is_closed(ends):
    judge, candidate = ends
    candidate.sendall(struct.pack("!I", 100) + b'{"partial"')
    candidate.close()
    with pytest.raises(ChannelError) as e:
        kbh_channel.receive(judge, time.monotonic() + 5)
    assert e.value.kind == "closed"


def test_silence_past_the_deadline_is_a_deadline_error(ends):
    judge, _ = ends
    start = time.monotonic()
    with pytest.raises(ChannelError) as e:
        kbh_channel.receive(judge, start + 0.2)
    assert e.value.kind == "deadline"
    assert 0.15 < time.monotonic() - start < 5


def test_a_deadline_in_the_past_fails_at_once_even_with_data_waiting(ends):
    judge, candidate = ends
    kbh_channel.send(candidate, {"late": True})
    with pytest.raises(ChannelError) as e:
        kbh_channel.receive(judge, time.monotonic() - 1)
    assert e.value.kind == "deadline"


def test_no_deadline_waits_for_a_slow_sender(ends):
    judge, candidate = ends
    sender = threading.Timer(0.2, kbh_channel.send, (candidate, {"slow": 1}))
    sender.start()
    try:
        assert kbh_channel.receive(judge)[0] == {"slow": 1}
    finally:
        sender.join()


def test_nesting_deep_enough_to_exhaust_the_parser_is_garbage_not_a_crash(ends):
    # json.loads raises RecursionError (not a ValueError) on it; found by a red-team review (session 16).
    judge, candidate = ends
    data = ("[" * 5000 + "]" * 5000).encode()  # beyond the interpreter's recursion limit (1000), 10 KB
    candidate.sendall(struct.pack(">I", len(data)) + data)
    with pytest.raises(ChannelError) as e:
        kbh_channel.receive(judge, time.monotonic() + 5)
    assert e.value.kind == "garbage"
