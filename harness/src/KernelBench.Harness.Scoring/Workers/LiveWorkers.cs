using System.Collections.Concurrent;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// Workers still running: killed when the harness exits (SIGTERM from `timeout` or a scheduler runs ProcessExit), so
/// none keeps a GPU busy. A kill -9 of the harness skips this; the worker then notices its parent is gone (kbh_worker.py).
/// </summary>
internal static class LiveWorkers
{
    private static readonly ConcurrentDictionary<WorkerProcess, byte> Live = new();

    static LiveWorkers()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var worker in Live.Keys)
                worker.Kill();
        };
    }

    public static void Add(WorkerProcess worker) => Live.TryAdd(worker, 0);

    public static void Remove(WorkerProcess worker) => Live.TryRemove(worker, out _);
}
