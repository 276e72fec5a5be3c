"""Tensors between processes as plain bytes in memfds, described by JSON specs.

The judge hands its inputs to a candidate process in sealed memfds (no process can write them once sealed, whatever it
reopens), and a candidate process hands its outputs back the same way, unsealed. The judge reads a candidate's
outputs as data: a dtype from a fixed list, a shape of non-negative integers, a memfd whose size must be exactly what
they imply; it copies the bytes into a tensor of its own before looking at them and never calls a method of an object
the candidate made.
"""
import math
import mmap
import os
import warnings

import torch

import kbh_files

DTYPES = {name: getattr(torch, name) for name in (
    "float32", "float16", "bfloat16", "float64", "int8", "int16", "int32", "int64", "uint8", "bool", "complex64",
    "complex128")}
_NAMES = {dtype: name for name, dtype in DTYPES.items()}
MAX_DIMS = 16


class BadTensor(Exception):
    """A spec or memfd that does not describe a tensor honestly."""


def _nbytes(dtype, shape):
    return math.prod(shape) * torch.empty((), dtype=dtype).element_size()


def dtype_name(dtype):
    name = _NAMES.get(dtype)
    if name is None:
        raise BadTensor(f"dtype {dtype} cannot be handed between processes")
    return name


def write_memfd(tensor, name="kbh", seal=False, copy=None):
    """(fd, spec) holding tensor's values, contiguous, in host memory; sealed against every later write if seal.
    copy(dst, src): how the bytes are copied in (kbh_fast_fill.copy_into: on several cores), else torch's copy_."""
    dtype_name(tensor.dtype)  # (an unsupported dtype fails before a memfd is made)
    shape = [int(d) for d in tensor.shape]
    nbytes = _nbytes(tensor.dtype, shape)
    flags = os.MFD_CLOEXEC | (os.MFD_ALLOW_SEALING if seal else 0)
    fd = os.memfd_create(name, flags)
    try:
        if nbytes:
            os.ftruncate(fd, nbytes)
            with mmap.mmap(fd, nbytes, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE) as mm:
                view = torch.frombuffer(mm, dtype=tensor.dtype, count=math.prod(shape)).view(shape)
                copy(view, tensor.detach()) if copy else view.copy_(tensor.detach())
                del view
        if seal:
            kbh_files.seal(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd, spec_of(tensor)


def spec_of(v, where=None):
    """What a receiver is told of one value: a tensor's dtype and shape (its bytes go beside it: a memfd, or GPU memory
    with where="cuda"), a plain value itself, anything else by type name."""
    if isinstance(v, torch.Tensor):
        spec = {"kind": "tensor", "dtype": dtype_name(v.dtype), "shape": [int(d) for d in v.shape]}
        return {**spec, "where": where} if where else spec
    if _plain(v):
        return {"kind": "value", "value": encode_value(v)}
    return {"kind": "object", "type": type(v).__name__}


def map_readonly(fd, spec):
    """A tensor over the memfd's pages, read-only (the caller keeps fd open; nothing is copied). Any write faults."""
    dtype, shape = _check_spec(spec)
    nbytes = _nbytes(dtype, shape)
    if nbytes == 0:
        return torch.empty(shape, dtype=dtype)
    if os.fstat(fd).st_size != nbytes:
        raise BadTensor(f"a memfd of {os.fstat(fd).st_size} bytes for a tensor of {nbytes}")
    mm = mmap.mmap(fd, nbytes, mmap.MAP_SHARED, mmap.PROT_READ)
    with warnings.catch_warnings():  # torch warns that the buffer is not writable: that is the point
        warnings.simplefilter("ignore")
        return torch.frombuffer(mm, dtype=dtype, count=math.prod(shape)).view(shape)


def unpack(specs, fds, readonly=False):
    """The values pack() described, from a trusted sender (the judge's inputs): tensors mapped read-only (readonly,
    the caller keeps the fds open) or copied (the fds are closed), scalars as they are."""
    fds = iter(fds)
    return [(map_readonly(next(fds), spec) if readonly else read_copy(next(fds), spec, 1 << 62))
            if spec.get("kind") == "tensor" else decode_value(spec.get("value")) for spec in specs]


def read_copy(fd, spec, limit_bytes, device=None, gpu=None):
    """The judge's own copy of a candidate's tensor (closes fd): from a memfd, in host memory or straight on `device`
    (one host copy less for a GPU's gigabyte outputs); from GPU memory the candidate exported (spec "where": "cuda",
    kbh_cudashare), on `gpu`. Raises BadTensor for a dishonest spec, memfd or export."""
    try:
        dtype, shape = _check_spec(spec)
        nbytes = _nbytes(dtype, shape)
        if nbytes > limit_bytes:
            raise BadTensor(f"an output of {nbytes} bytes, over the {limit_bytes} allowed")
        if spec.get("where") == "cuda":
            if gpu is None or torch.device(gpu).type != "cuda":
                raise BadTensor("an output in GPU memory where the check runs on the CPU")
            import kbh_cudashare
            try:
                return kbh_cudashare.import_copy(fd, dtype, shape, nbytes, gpu)
            except kbh_cudashare.ShareFailed as e:
                raise BadTensor(f"an output in GPU memory that could not be read: {e}") from None
        # Sealed, so that nobody can shrink it while the judge reads it (a mapping of a shrunk file faults: SIGBUS)
        # or change it after: anything else (another kind of file, an unsealed memfd) is not an honest output.
        try:
            sealed = kbh_files.is_sealed(fd)
        except OSError:
            raise BadTensor("an output that is not a memfd")
        if not sealed:
            raise BadTensor("an output memfd that is not sealed against changes")
        size = os.fstat(fd).st_size
        if size != nbytes:
            raise BadTensor(f"an output whose memfd holds {size} bytes where dtype {spec['dtype']} and shape "
                            f"{tuple(shape)} take {nbytes}")
        out = torch.empty(shape, dtype=dtype, device=device or "cpu")
        if nbytes:
            with mmap.mmap(fd, nbytes, mmap.MAP_SHARED, mmap.PROT_READ) as mm:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    view = torch.frombuffer(mm, dtype=dtype, count=math.prod(shape)).view(shape)
                out.copy_(view)
                del view
        return out
    finally:
        os.close(fd)


def plain(v):
    """Whether pack() hands v over as a value (not a tensor, not an unsupported object)."""
    return _plain(v)


def _plain(v, depth=0):
    """A number, string or None, or a list or tuple of them (get_init_inputs' layer sizes, kernel sizes, shapes)."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return True
    return isinstance(v, (list, tuple)) and depth < 8 and all(_plain(x, depth + 1) for x in v)


def encode_value(v):
    """JSON for a _plain value that decode_value turns back into the same value and type (tuples stay tuples)."""
    if isinstance(v, float) and not math.isfinite(v):
        return {"float": repr(v)}
    if isinstance(v, (list, tuple)):
        return {"tuple" if isinstance(v, tuple) else "list": [encode_value(x) for x in v]}
    return v


def decode_value(v):
    if isinstance(v, dict):
        if "float" in v:
            return float(v["float"])
        items = [decode_value(x) for x in v.get("tuple", v.get("list", []))]
        return tuple(items) if "tuple" in v else items
    return v


def _export(exporter, slot, tensor, strict):
    import kbh_cudashare
    try:
        return exporter.export(slot, tensor)
    except kbh_cudashare.ShareFailed:
        if strict:
            raise
        return None, None  # through host memory instead


def unpack_device(specs, fds, device):
    """Values from a trusted sender (the judge's inputs) whose tensors it exported in GPU memory (kbh_cudashare):
    (values, mappings), the tensors views over the mapped allocations, valid until the caller releases the mappings.
    The fds stay the caller's to close."""
    import kbh_cudashare
    fds, values, mappings = iter(fds), [], []
    try:
        for spec in specs:
            if spec.get("kind") != "tensor":
                values.append(decode_value(spec.get("value")))
                continue
            dtype, shape = _check_spec(spec)
            nbytes = _nbytes(dtype, shape)
            mappings.append(kbh_cudashare.import_mapping(next(fds), nbytes, device))
            values.append(mappings[-1].view(dtype, shape, nbytes))
    except BaseException:
        for m in mappings:
            m.release()
        raise
    return values, mappings


def _check_spec(spec):
    if not isinstance(spec, dict) or spec.get("kind") != "tensor":
        raise BadTensor("not a tensor spec")
    dtype = DTYPES.get(spec.get("dtype"))
    shape = spec.get("shape")
    if dtype is None:
        raise BadTensor(f"unknown dtype {spec.get('dtype')!r}")
    if not isinstance(shape, list) or len(shape) > MAX_DIMS or not all(type(d) is int and 0 <= d < 1 << 40 for d in shape):
        raise BadTensor(f"a malformed shape {shape!r}")
    return dtype, shape


def pack(values, name="kbh", seal=False, exporter=None, strict=False, host_too=False):
    """(specs, fds) for a flat list of values: tensors in memfds (GPU tensors through exporter, a
    kbh_cudashare.Exporter, when given and the driver allows, and host tensors too with host_too; strict: its
    ShareFailed raised, not a memfd instead), JSON-able scalars inline, anything else by type name."""
    specs, fds = [], []
    try:
        for i, v in enumerate(values):
            if isinstance(v, torch.Tensor):
                fd, spec = _export(exporter, (name, i), v, strict) if exporter is not None and (v.is_cuda or host_too) \
                    else (None, None)
                if fd is None:
                    fd, spec = write_memfd(v, name, seal)
                fds.append(fd)
                specs.append(spec)
            else:
                specs.append(spec_of(v))
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return specs, fds
