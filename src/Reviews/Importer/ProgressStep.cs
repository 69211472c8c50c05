using System.Diagnostics;

namespace Reviews.Importer;

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
