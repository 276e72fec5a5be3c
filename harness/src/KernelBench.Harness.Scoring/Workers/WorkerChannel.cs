using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// The line channel to one worker: jobs written to its stdin, answers read from its stdout. Only lines that are JSON
/// objects carrying this worker's nonce are answers; the worker's own stderr is kept (bounded) for start-up errors.
/// </summary>
internal sealed class WorkerChannel(Process process, string nonce)
{
    private readonly Channel<JsonElement> _answers = Channel.CreateUnbounded<JsonElement>();
    private readonly BoundedText _stderr = new(8000);

    /// <summary>The worker's own stderr (Python start-up errors before the capture file takes over).</summary>
    public string Stderr => _stderr.ToString();

    /// <summary>Starts reading the worker's stdout and stderr; call once, after the process started.</summary>
    public void StartReading()
    {
        _ = Task.Run(async () =>
        {
            try
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (WorkerAnswerText.Read(line, nonce) is { } body)
                        _answers.Writer.TryWrite(body);
                }
            }
            catch (IOException)
            {
            }
            finally
            {
                _answers.Writer.TryComplete(); // whatever ended the reading, a waiting job learns the channel closed
            }
        });
        _ = Task.Run(async () =>
        {
            var buffer = new char[4096];
            try
            {
                int n;
                while ((n = await process.StandardError.ReadAsync(buffer)) > 0)
                    _stderr.Append(buffer.AsSpan(0, n));
            }
            catch (IOException)
            {
            }
        });
    }

    /// <summary>Writes one line; false when the worker no longer reads (its stdin is closed).</summary>
    public async Task<bool> SendAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
            await process.StandardInput.FlushAsync(cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Writes one line at once (shutdown); throws <see cref="IOException"/> when the worker no longer reads.</summary>
    public void Send(string line)
    {
        process.StandardInput.WriteLine(line);
        process.StandardInput.Flush();
    }

    /// <summary>The next answer; null when the worker closed its channel. Cancellation ends the wait.</summary>
    public async Task<JsonElement?> ReceiveAsync(CancellationToken cancellationToken) =>
        await _answers.Reader.WaitToReadAsync(cancellationToken) && _answers.Reader.TryRead(out var body) ? body : null;
}
