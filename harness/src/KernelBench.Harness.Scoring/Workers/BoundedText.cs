using System.Text;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>Keeps the last N characters written to it: a worker's stderr for diagnosis without unbounded memory.</summary>
internal sealed class BoundedText(int limit)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            _text.Append(chunk);
            if (_text.Length > limit)
                _text.Remove(0, _text.Length - limit);
        }
    }

    public override string ToString()
    {
        lock (_gate)
            return _text.ToString();
    }
}
