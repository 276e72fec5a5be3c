"""Tensors handed between the judge and a candidate process in GPU memory, through CUDA's virtual memory API.

Copying a Level 1 output of several gigabytes to host memory and back took seconds per trial (session 11, H100). Here
the sender copies the tensor device to device into an allocation of its own made with cuMemCreate, exports it as a
POSIX file descriptor (cuMemExportToShareableHandle) and sends that descriptor over the channel (SCM_RIGHTS); the
receiver imports it, maps it, copies it device to device into a tensor of its own and unmaps it. A descriptor crosses
the sandbox's PID and IPC namespaces, where CUDA's legacy IPC handles do not.

Nothing here trusts the sender: the receiver maps exactly the bytes that dtype and shape (already checked against the
reference) imply, rounded up to the driver's granularity; an allocation that is smaller, or a descriptor that is not
one, fails the import (BadTensor), and the sender writing into the memory while it is copied changes only the copy it
is judged on. The judge never reads back what it handed a candidate (its inputs): a candidate writing into those
only changes its own inputs.

Every call needs the CUDA context current on the calling thread (torch's primary context, made current by any torch
operation on the device before)."""
import ctypes
import functools

import torch

_POSIX_FD = 1          # CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR
_PINNED = 1            # CU_MEM_ALLOCATION_TYPE_PINNED
_LOCATION_DEVICE = 1   # CU_MEM_LOCATION_TYPE_DEVICE
_READWRITE = 3         # CU_MEM_ACCESS_FLAGS_PROT_READWRITE (the one access every device mapping supports)
_GRANULARITY_MINIMUM = 0


class ShareFailed(Exception):
    """The driver refused (no VMM support, a descriptor that is not an allocation, one smaller than needed)."""


class _Location(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("id", ctypes.c_int)]


class _AllocFlags(ctypes.Structure):
    _fields_ = [("compressionType", ctypes.c_ubyte), ("gpuDirectRDMACapable", ctypes.c_ubyte),
                ("usage", ctypes.c_ushort), ("reserved", ctypes.c_ubyte * 4)]


class _Prop(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("requestedHandleTypes", ctypes.c_int), ("location", _Location),
                ("win32HandleMetaData", ctypes.c_void_p), ("allocFlags", _AllocFlags)]


class _Access(ctypes.Structure):
    _fields_ = [("location", _Location), ("flags", ctypes.c_int)]


@functools.lru_cache(maxsize=1)
def _cuda():
    lib = ctypes.CDLL("libcuda.so.1")
    u64, size, p = ctypes.c_uint64, ctypes.c_size_t, ctypes.c_void_p
    signatures = {
        "cuMemGetAllocationGranularity": [ctypes.POINTER(size), ctypes.POINTER(_Prop), ctypes.c_int],
        "cuMemCreate": [ctypes.POINTER(u64), size, ctypes.POINTER(_Prop), u64],
        "cuMemRelease": [u64],
        "cuMemAddressReserve": [ctypes.POINTER(u64), size, size, u64, u64],
        "cuMemAddressFree": [u64, size],
        "cuMemMap": [u64, size, size, u64, u64],
        "cuMemUnmap": [u64, size],
        "cuMemSetAccess": [u64, size, ctypes.POINTER(_Access), size],
        "cuMemExportToShareableHandle": [p, u64, ctypes.c_int, u64],
        "cuMemImportFromShareableHandle": [ctypes.POINTER(u64), p, ctypes.c_int],
        "cuGetErrorString": [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)],
    }
    for name, args in signatures.items():
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, ctypes.c_int
    return lib


def _check(code, what):
    if code != 0:
        text = ctypes.c_char_p()
        _cuda().cuGetErrorString(code, ctypes.byref(text))
        raise ShareFailed(f"{what}: CUDA error {code} ({(text.value or b'?').decode()})")


def _prop(device_index):
    prop = _Prop()
    prop.type, prop.requestedHandleTypes = _PINNED, _POSIX_FD
    prop.location = _Location(_LOCATION_DEVICE, device_index)
    return prop


@functools.lru_cache(maxsize=8)
def _granularity(device_index):
    g = ctypes.c_size_t()
    _check(_cuda().cuMemGetAllocationGranularity(ctypes.byref(g), ctypes.byref(_prop(device_index)),
                                                 _GRANULARITY_MINIMUM), "granularity")
    return g.value


def padded(nbytes, device_index):
    g = _granularity(device_index)
    return max(g, -(-nbytes // g) * g)


class _Bytes:
    """nbytes of GPU memory at ptr, as torch.as_tensor reads them (the CUDA array interface)."""

    def __init__(self, ptr, nbytes):
        self.__cuda_array_interface__ = {"shape": (nbytes,), "typestr": "|u1", "data": (ptr, False), "version": 2,
                                         "strides": None}


class _Mapping:
    """One allocation handle mapped at a reserved address of this process, shown to torch as bytes."""

    def __init__(self, handle, size, device):
        self.handle, self.size, self.device, self.ptr = handle, size, device, 0
        cu, ptr = _cuda(), ctypes.c_uint64()
        try:
            _check(cu.cuMemAddressReserve(ctypes.byref(ptr), size, 0, 0, 0), "reserving addresses")
            self.ptr = ptr.value
            _check(cu.cuMemMap(self.ptr, size, 0, handle, 0), "mapping")
            self._mapped = True
            desc = _Access(_Location(_LOCATION_DEVICE, device.index), _READWRITE)
            _check(cu.cuMemSetAccess(self.ptr, size, ctypes.byref(desc), 1), "setting access")
        except BaseException:
            self.release()
            raise

    def view(self, dtype, shape, nbytes):
        """A torch tensor over the first nbytes (no copy; valid while the mapping lives)."""
        raw = torch.as_tensor(_Bytes(self.ptr, nbytes), device=self.device)
        return raw.view(dtype).view(shape) if nbytes else torch.empty(shape, dtype=dtype, device=self.device)

    def release(self):
        cu = _cuda()
        if self.ptr:
            if getattr(self, "_mapped", False):
                torch.cuda.synchronize(self.device)  # nothing may still read or write it
                cu.cuMemUnmap(self.ptr, self.size)
                self._mapped = False
            cu.cuMemAddressFree(self.ptr, self.size)
            self.ptr = 0
        if self.handle:
            cu.cuMemRelease(self.handle)
            self.handle = 0


class Exporter:
    """The sender's side: allocations kept per slot and reused while the size fits (a trial's outputs, one seed's
    inputs), each export a fresh descriptor for the receiver."""

    def __init__(self, device):
        self.device = torch.device(device)
        self._slots = {}

    def export(self, slot, tensor):
        """(fd, spec) for tensor's values copied into this slot's allocation. The caller sends and closes fd."""
        import kbh_tensors
        kbh_tensors.dtype_name(tensor.dtype)  # (an unsupported dtype fails before any allocation)
        nbytes = tensor.numel() * tensor.element_size()
        size = padded(nbytes, self.device.index)
        mapping = self._slots.get(slot)
        if mapping is None or mapping.size < size:
            if mapping is not None:
                mapping.release()
                del self._slots[slot]
            handle = ctypes.c_uint64()
            _check(_cuda().cuMemCreate(ctypes.byref(handle), size, ctypes.byref(_prop(self.device.index)), 0),
                   f"allocating {size} bytes")
            mapping = _Mapping(handle.value, size, self.device)
            self._slots[slot] = mapping
        self.fill(slot, tensor)
        fd = ctypes.c_int(-1)
        _check(_cuda().cuMemExportToShareableHandle(ctypes.byref(fd), mapping.handle, _POSIX_FD, 0), "exporting")
        return fd.value, kbh_tensors.spec_of(tensor, where="cuda")

    def fill(self, slot, tensor):
        """Copies tensor's values into the allocation this slot holds (export() made it; a receiver that kept its
        mapping sees them): no allocation, no export. Raises ShareFailed when the slot has none of that size."""
        nbytes = tensor.numel() * tensor.element_size()
        mapping = self._slots.get(slot)
        if mapping is None or mapping.size < padded(nbytes, self.device.index):
            raise ShareFailed(f"no exported allocation of {nbytes} bytes in slot {slot!r}")
        if nbytes:
            mapping.view(tensor.dtype, list(tensor.shape), nbytes).copy_(tensor.detach())
        torch.cuda.synchronize(self.device)  # the bytes are there before the receiver maps or reads them

    def release(self, slots=None):
        for slot in list(self._slots) if slots is None else slots:
            mapping = self._slots.pop(slot, None)
            if mapping is not None:
                mapping.release()


def import_mapping(fd, nbytes, device):
    """The allocation behind a received descriptor, mapped in this process (the caller releases it; fd stays the
    caller's to close). Raises ShareFailed when fd is not an allocation of at least nbytes."""
    device = torch.device(device)
    handle = ctypes.c_uint64()
    _check(_cuda().cuMemImportFromShareableHandle(ctypes.byref(handle), ctypes.c_void_p(fd), _POSIX_FD), "importing")
    return _Mapping(handle.value, padded(nbytes, device.index), device)


def import_copy(fd, dtype, shape, nbytes, device):
    """The receiver's own copy, on device, of the tensor behind fd."""
    mapping = import_mapping(fd, nbytes, device)
    try:
        out = torch.empty(shape, dtype=dtype, device=mapping.device)
        if nbytes:
            out.copy_(mapping.view(dtype, shape, nbytes))
        return out
    finally:
        mapping.release()
