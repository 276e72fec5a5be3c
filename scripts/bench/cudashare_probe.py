"""GPU probe of kbh_cudashare: a child process exports a tensor in GPU memory, the parent imports and checks it, and
the time of each hand-over of SIZE_GIB (default 4) is printed beside a device-to-host-to-device copy of the same bytes.
  python3 scripts/bench/cudashare_probe.py [SIZE_GIB]"""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness", "worker"))
import torch  # noqa: E402

import kbh_channel  # noqa: E402
import kbh_tensors  # noqa: E402

gib = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
n = int(gib * (1 << 30)) // 4
parent, child = socket.socketpair()
pid = os.fork()  # before either side touches CUDA
if pid == 0:
    parent.close()
    import kbh_cudashare
    dev = torch.device("cuda:0")
    x = torch.arange(n, device=dev, dtype=torch.float32)
    exporter = kbh_cudashare.Exporter(dev)
    for _ in range(3):
        start = time.perf_counter()
        specs, fds = kbh_tensors.pack([x], "probe", exporter=exporter, strict=True)
        kbh_channel.send(child, {"specs": specs, "export_s": time.perf_counter() - start}, fds)
        for fd in fds:
            os.close(fd)
        kbh_channel.receive(child)
    os._exit(0)
child.close()
dev = torch.device("cuda:0")
torch.empty(1, device=dev)
for i in range(3):
    msg, fds = kbh_channel.receive(parent)
    start = time.perf_counter()
    got = kbh_tensors.read_copy(fds[0], msg["specs"][0], n * 4, gpu=dev)
    torch.cuda.synchronize()
    took = time.perf_counter() - start
    ok = bool((got == torch.arange(n, device=dev, dtype=torch.float32)).all())
    print(f"hand-over {i}: {gib:g} GiB, export {msg['export_s']*1000:.1f} ms, import+copy {took*1000:.1f} ms, "
          f"values equal: {ok}, where: {msg['specs'][0].get('where')}")
    del got
    kbh_channel.send(parent, {"ok": True})
os.waitpid(pid, 0)
x = torch.empty(n, device=dev)
start = time.perf_counter()
h = x.cpu()
y = h.to(dev)
torch.cuda.synchronize()
print(f"for comparison, {gib:g} GiB device->pageable host->device: {(time.perf_counter() - start)*1000:.0f} ms")
