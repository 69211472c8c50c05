using System.Buffers;

namespace Reviews.Reading;

/// <summary>
/// How many large pages (over <see cref="LargePage"/> reviews, up to 10,000) are built and sent at once, and the pooled
/// memory they are written into. Each takes megabytes: unbounded, with a new array per answer, sixteen at once took
/// the process from 80 MB to almost 1 GB and the GC kept it. Smaller pages, nearly all of them, never wait here.
/// </summary>
public sealed class LargePageGate(int concurrency)
{
    public const int LargePage = 100;

    readonly SemaphoreSlim slots = new(concurrency);
    int inside;
    int peak;

    /// <summary>Where large answers are written: arrays of up to 32 MiB, a few kept per size for the next pages.</summary>
    public ArrayPool<byte> Buffers { get; } = ArrayPool<byte>.Create(maxArrayLength: 32 << 20, maxArraysPerBucket: concurrency + 1);

    /// <summary>The most large pages ever in the making at once (tests read it).</summary>
    public int Peak => Volatile.Read(ref peak);

    /// <summary>Waits for a slot; dispose the slot once the page is sent.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        var now = Interlocked.Increment(ref inside);
        for (var seen = Volatile.Read(ref peak); now > seen; seen = Volatile.Read(ref peak))
            Interlocked.CompareExchange(ref peak, now, seen);
        return new Slot(this);
    }

    sealed class Slot(LargePageGate gate) : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                Interlocked.Decrement(ref gate.inside);
                gate.slots.Release();
            }
        }
    }
}
