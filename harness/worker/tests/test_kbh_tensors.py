"""kbh_tensors: tensors between processes as bytes in memfds, described by JSON specs."""
import fcntl
import math
import os

import pytest
import torch

import kbh_tensors
from kbh_tensors import BadTensor


def _fd_is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


VALUES = [
    torch.arange(12, dtype=torch.float32).view(3, 4) / 7,
    torch.tensor([[1, -2], [3, 1 << 40]], dtype=torch.int64),
    torch.tensor([True, False, True]),
    torch.randn(2, 3, dtype=torch.float64),
    torch.randn(5).to(torch.bfloat16),
    torch.randn(4, dtype=torch.complex64),
    torch.empty(0, 3),
    torch.tensor(2.5),  # 0-d
    5, 2.5, "text", None, True,
]


def test_pack_then_unpack_sealed_gives_equal_values_and_closes_the_fds():
    specs, fds = kbh_tensors.pack(VALUES, seal=True)
    assert len(fds) == sum(isinstance(v, torch.Tensor) for v in VALUES)

    back = kbh_tensors.unpack(specs, fds)

    assert len(back) == len(VALUES)
    for want, got in zip(VALUES, back):
        if isinstance(want, torch.Tensor):
            assert got.dtype == want.dtype and got.shape == want.shape
            assert torch.equal(got, want)
        else:
            assert got == want and type(got) is type(want)
    assert not any(_fd_is_open(fd) for fd in fds)


def test_unpack_readonly_maps_the_same_bytes_and_refuses_writes():
    t = torch.arange(6, dtype=torch.int32).view(2, 3)
    specs, fds = kbh_tensors.pack([t], seal=True)
    try:
        (mapped,) = kbh_tensors.unpack(specs, fds, readonly=True)
        assert torch.equal(mapped, t)
        assert _fd_is_open(fds[0])  # the caller keeps it
        with pytest.raises(OSError):
            os.write(fds[0], b"x")  # sealed against writes
    finally:
        for fd in fds:
            os.close(fd)


def test_pack_describes_specs_as_json_data():
    specs, fds = kbh_tensors.pack([torch.zeros(2, 3, dtype=torch.float16), 7, float("nan"), float("-inf"), object(),
                                   [1, (3, 3)]])
    try:
        assert specs == [
            {"kind": "tensor", "dtype": "float16", "shape": [2, 3]},
            {"kind": "value", "value": 7},
            {"kind": "value", "value": {"float": "nan"}},  # non-finite floats as their repr: JSON has no NaN
            {"kind": "value", "value": {"float": "-inf"}},
            {"kind": "object", "type": "object"},
            {"kind": "value", "value": {"list": [1, {"tuple": [3, 3]}]}},
        ]
        assert os.fstat(fds[0]).st_size == 2 * 3 * 2
    finally:
        for fd in fds:
            os.close(fd)


def test_pack_non_contiguous_tensor_is_written_contiguous():
    t = torch.arange(12, dtype=torch.float32).view(3, 4).t()
    specs, fds = kbh_tensors.pack([t], seal=True)
    (back,) = kbh_tensors.unpack(specs, fds)
    assert torch.equal(back, t) and back.is_contiguous()


def test_write_memfd_sealed_has_every_seal_and_unsealed_has_none():
    fd, _ = kbh_tensors.write_memfd(torch.ones(4), seal=True)
    try:
        seals = fcntl.fcntl(fd, fcntl.F_GET_SEALS)
        for seal in (fcntl.F_SEAL_SEAL, fcntl.F_SEAL_SHRINK, fcntl.F_SEAL_GROW, fcntl.F_SEAL_WRITE):
            assert seals & seal
    finally:
        os.close(fd)
    fd, _ = kbh_tensors.write_memfd(torch.ones(4), seal=False)
    try:
        os.ftruncate(fd, 1)  # still writable and shrinkable
    finally:
        os.close(fd)


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
def test_write_memfd_refuses_a_dtype_outside_the_list():
    with pytest.raises(BadTensor, match="dtype torch.complex32 cannot be handed"):
        kbh_tensors.write_memfd(torch.zeros(2, dtype=torch.complex32))


def _sealed(tensor):
    return kbh_tensors.write_memfd(tensor, seal=True)


def test_read_copy_gives_a_copy_that_outlives_the_fd():
    t = torch.randn(3, 5)
    fd, spec = _sealed(t)
    out = kbh_tensors.read_copy(fd, spec, 1 << 20)
    assert torch.equal(out, t)
    assert not _fd_is_open(fd)


def test_read_copy_refuses_an_unsealed_memfd_and_closes_it():
    fd, spec = kbh_tensors.write_memfd(torch.ones(4), seal=False)
    with pytest.raises(BadTensor, match="not sealed"):
        kbh_tensors.read_copy(fd, spec, 1 << 20)
    assert not _fd_is_open(fd)


def test_read_copy_refuses_a_file_that_is_not_a_memfd(tmp_path):
    path = tmp_path / "out.bin"
    path.write_bytes(bytes(16))
    fd = os.open(path, os.O_RDONLY)
    with pytest.raises(BadTensor, match="not a memfd"):
        kbh_tensors.read_copy(fd, {"kind": "tensor", "dtype": "float32", "shape": [4]}, 1 << 20)
    assert not _fd_is_open(fd)


@pytest.mark.parametrize("spec, match", [
    ({"kind": "tensor", "dtype": "float32", "shape": [5]}, "holds 16 bytes where dtype float32 and shape"),  # too big
    ({"kind": "tensor", "dtype": "float32", "shape": [3]}, "holds 16 bytes"),  # too small
    ({"kind": "tensor", "dtype": "float64", "shape": [4]}, "holds 16 bytes"),  # same count, wider dtype
    ({"kind": "tensor", "dtype": "float128", "shape": [4]}, "unknown dtype 'float128'"),
    ({"kind": "tensor", "dtype": "torch.float32", "shape": [4]}, "unknown dtype"),
    ({"kind": "tensor", "dtype": "float32", "shape": [-4]}, "malformed shape"),
    ({"kind": "tensor", "dtype": "float32", "shape": [4.0]}, "malformed shape"),
    ({"kind": "tensor", "dtype": "float32", "shape": [True, 4]}, "malformed shape"),
    ({"kind": "tensor", "dtype": "float32", "shape": "4"}, "malformed shape"),
    ({"kind": "tensor", "dtype": "float32", "shape": [1] * 17}, "malformed shape"),
    ({"kind": "tensor", "dtype": "float32", "shape": [1 << 40]}, "malformed shape"),
    ({"kind": "value", "value": 3}, "not a tensor spec"),
    ([4], "not a tensor spec"),
])
def test_read_copy_refuses_a_dishonest_spec_and_closes_the_fd(spec, match):
    fd, _ = _sealed(torch.ones(4))  # 16 bytes
    with pytest.raises(BadTensor, match=match):
        kbh_tensors.read_copy(fd, spec, 1 << 20)
    assert not _fd_is_open(fd)


def test_read_copy_refuses_an_output_over_the_limit_before_reading_it():
    fd, spec = _sealed(torch.ones(1024))
    with pytest.raises(BadTensor, match="4096 bytes, over the 4095 allowed"):
        kbh_tensors.read_copy(fd, spec, 4095)
    assert not _fd_is_open(fd)


def test_read_copy_of_an_empty_tensor():
    fd, spec = _sealed(torch.empty(0, 7, dtype=torch.int16))
    out = kbh_tensors.read_copy(fd, spec, 0)
    assert out.shape == (0, 7) and out.dtype == torch.int16


def test_map_readonly_refuses_a_memfd_of_the_wrong_size():
    fd, spec = _sealed(torch.ones(4))
    try:
        with pytest.raises(BadTensor, match="a memfd of 16 bytes for a tensor of 32"):
            kbh_tensors.map_readonly(fd, dict(spec, shape=[8]))
    finally:
        os.close(fd)


def test_every_listed_dtype_round_trips():
    values = [torch.zeros(3, dtype=d) for d in kbh_tensors.DTYPES.values()]
    specs, fds = kbh_tensors.pack(values, seal=True)
    back = kbh_tensors.unpack(specs, fds)
    assert [b.dtype for b in back] == [v.dtype for v in values]
    assert [s["shape"] for s in specs] == [[3]] * len(values)
    assert all(math.prod(b.shape) == 3 for b in back)


def test_init_arguments_keep_their_lists_tuples_and_infinities():
    # get_init_inputs() of KernelBench's L3/1 passes a list of layer sizes, L2/76 a bias shape tuple.
    values = [4, [400, 800], (1, 3, 3), float("inf"), None, "relu", [(1, 2), [3]]]
    specs, fds = kbh_tensors.pack(values)
    assert fds == []
    decoded = kbh_tensors.unpack(specs, fds)
    assert decoded == values
    assert [type(v) for v in decoded] == [type(v) for v in values] and type(decoded[6][0]) is tuple
