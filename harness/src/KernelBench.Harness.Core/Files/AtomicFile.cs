namespace KernelBench.Harness.Scoring;

/// <summary>
/// Whole-file writes that a reader (another thread, worker or harness process) never sees half done: the text goes to a
/// temporary file of its own beside the target, which a rename then puts in place.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N"); // unique: writers of one path never share a temp file
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
