namespace Reviews.Reading;

/// <summary>
/// A large answer in pooled memory, with the large-page slot it holds: dispose it once it is sent, to give both back.
/// </summary>
public sealed class PooledAnswer(PooledBufferWriter writer, IDisposable slot) : IDisposable
{
    public PooledBufferWriter Writer => writer;

    public ReadOnlyMemory<byte> Json => writer.WrittenMemory;

    public void Dispose()
    {
        writer.Dispose();
        slot.Dispose();
    }
}
