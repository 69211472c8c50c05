using System.Diagnostics;

namespace Reviews.Importer;

/// <summary>
/// What the import is doing, for a display to poll: the steps so far, each with its bytes read of the file's
/// total (0 for steps that read no file) and its rows. Written by the importer's threads, read by the display.
/// </summary>
public sealed class ImportProgress
{
    readonly List<ProgressStep> steps = [];

    public ProgressStep Begin(string name, long totalBytes = 0)
    {
        var step = new ProgressStep(name, totalBytes);
        lock (steps)
            steps.Add(step);
        return step;
    }

    public ProgressStep[] Steps()
    {
        lock (steps)
            return [.. steps];
    }
}

public sealed class ProgressStep(string name, long totalBytes)
{
    readonly long started = Stopwatch.GetTimestamp();
    long bytes, rows, finished;

    public string Name { get; } = name;
    public long TotalBytes { get; } = totalBytes;
    public long Bytes => Volatile.Read(ref bytes);
    public long Rows => Volatile.Read(ref rows);
    public bool Done => Volatile.Read(ref finished) != 0;
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started, Done ? Volatile.Read(ref finished) : Stopwatch.GetTimestamp());

    public void AddBytes(long count) => Volatile.Write(ref bytes, bytes + count);
    public void SetRows(long count) => Volatile.Write(ref rows, count);
    public void Finish() => Volatile.Write(ref finished, Stopwatch.GetTimestamp());
}

/// <summary>A read-only view of a file that counts the bytes read into its progress step.</summary>
sealed class CountingStream(Stream inner, ProgressStep step) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));
    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
        Counted(await inner.ReadAsync(buffer, ct));

    int Counted(int read)
    {
        step.AddBytes(read);
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
