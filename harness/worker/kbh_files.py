"""File primitives the build cache and the compiler launcher share: an flock that dies with its holder, and files
that appear whole or not at all (written beside their final name, then renamed); the host's memory as
/proc/meminfo gives it, and the processes below one (the fork server's and the judge's view of a candidate's). Standard library only: the launcher imports it on every compile, without site-packages."""

import fcntl
import os
import tempfile
import time


class FileLock:
    """An flock, exclusive unless shared; the kernel drops it when the holder dies, so a killed build never blocks the
    next one. on_wait(), when given, is called once before blocking on a lock that another process holds."""

    def __init__(self, path, on_wait=None, shared=False):
        self._path = path
        self._on_wait = on_wait
        self._mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        self._fd = None
        self.waited = False

    def __enter__(self):
        self.waited = False
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, self._mode | fcntl.LOCK_NB)
        except BlockingIOError:
            self.waited = True
            if self._on_wait:
                self._on_wait()
            fcntl.flock(self._fd, self._mode)
        return self

    def acquire(self, limit_s):
        """Takes the lock if it comes within limit_s: True, else False with nothing held (the caller goes on without)."""
        self.__exit__(None, None, None)  # (one held before is let go, not leaked)
        self.waited = False
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + limit_s
        try:
            while True:
                try:
                    fcntl.flock(fd, self._mode | fcntl.LOCK_NB)
                    self._fd, fd = fd, None
                    return True
                except BlockingIOError:
                    self.waited = True
                    if time.monotonic() >= deadline:
                        return False
                    time.sleep(0.002)
        finally:
            if fd is not None:
                os.close(fd)

    def __exit__(self, *exc):
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        return False


def write_atomically(path, text, mode=None, fsync=False):
    """Writes text to path through a temporary file in the same folder and a rename: readers see all of it or none."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    with os.fdopen(fd, "w") as f:
        f.write(text)
        if fsync:
            f.flush()
            os.fsync(f.fileno())
    if mode is not None:
        os.chmod(tmp, mode)
    os.rename(tmp, path)


SEALS = fcntl.F_SEAL_SEAL | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE


def seal(fd):
    """Seals a memfd against every later write, shrink or growth."""
    fcntl.fcntl(fd, fcntl.F_ADD_SEALS, SEALS)


def is_sealed(fd):
    """Whether a memfd carries every seal seal() adds; OSError for a descriptor that is not a memfd."""
    return fcntl.fcntl(fd, fcntl.F_GET_SEALS) & SEALS == SEALS


def sealed_bytes(data, name="kbh"):
    """A memfd holding data that no process can change once it has it, whatever it reopens."""
    fd = os.memfd_create(name, os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        seal(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_sealed(fd, limit):
    """The bytes of a memfd sealed against changes (sealed_bytes), at most limit of them; ValueError otherwise."""
    if not is_sealed(fd):
        raise ValueError("not a sealed memfd")
    size = os.fstat(fd).st_size
    if size > limit:
        raise ValueError(f"{size} bytes, more than {limit}")
    return os.pread(fd, size, 0)


def close_all(fds):
    """Closes each descriptor, whichever are already closed."""
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def descendants(root):
    """Every process below root (children first), from /proc's parent links; [] where /proc cannot be read."""
    children = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, ValueError, IndexError):
            pass
    found, frontier = [], [root]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, [])]
        found += frontier
    return found


def meminfo_bytes(field):
    """A /proc/meminfo field ("MemTotal", "MemAvailable") in bytes; None where it cannot be read."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None
