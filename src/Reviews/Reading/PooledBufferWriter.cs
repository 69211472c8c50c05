using System.Buffers;

namespace Reviews.Reading;

/// <summary>An answer written into arrays rented from a pool, so that a large one leaves no large garbage behind.</summary>
public sealed class PooledBufferWriter(ArrayPool<byte> pool) : IBufferWriter<byte>, IDisposable
{
    byte[] buffer = pool.Rent(64 * 1024);
    int written;

    public int Length => written;

    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, written);

    public void Advance(int count) => written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => Room(sizeHint).AsMemory(written);

    public Span<byte> GetSpan(int sizeHint = 0) => Room(sizeHint).AsSpan(written);

    byte[] Room(int sizeHint)
    {
        if (buffer.Length - written < Math.Max(sizeHint, 1))
        {
            var bigger = pool.Rent(Math.Max(buffer.Length * 2, written + sizeHint));
            buffer.AsSpan(0, written).CopyTo(bigger);
            pool.Return(buffer);
            buffer = bigger;
        }
        return buffer;
    }

    public void Dispose()
    {
        if (buffer.Length > 0)
            pool.Return(buffer);
        buffer = [];
    }
}
