namespace Reviews.Api;

/// <summary>
/// How many large pages (over <see cref="LargePage"/> reviews, up to 10,000) are read and written at once. Each
/// takes megabytes while it is built: unbounded, sixteen at once took the process from 80 MB to almost 1 GB and the
/// GC kept it. Smaller pages, which are nearly all of them, never wait here.
/// </summary>
public sealed class LargePageGate(int concurrency)
{
    public const int LargePage = 100;

    readonly SemaphoreSlim slots = new(concurrency);
    int inside;
    int peak;

    /// <summary>The most large pages ever built at once (tests read it).</summary>
    public int Peak => Volatile.Read(ref peak);

    /// <summary>Builds the page, waiting for a slot first when it is large.</summary>
    public async Task<T> RunAsync<T>(int count, Func<Task<T>> build, CancellationToken ct)
    {
        if (count <= LargePage)
            return await build();
        await slots.WaitAsync(ct);
        var now = Interlocked.Increment(ref inside);
        for (var seen = Volatile.Read(ref peak); now > seen; seen = Volatile.Read(ref peak))
            Interlocked.CompareExchange(ref peak, now, seen);
        try
        {
            return await build();
        }
        finally
        {
            Interlocked.Decrement(ref inside);
            slots.Release();
        }
    }
}
