using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Reviews.Cache;

/// <summary>
/// GET answers (their JSON bytes) per product, in memory, bounded in bytes. An answer is served only while
/// no write has touched its product since just before it was read from the database: each entry keeps the
/// generation of its product's stripe (and of the whole cache) seen before the query, and a write bumps the
/// stripe. So a write that lands while an answer is being read cannot leave that answer behind, and the
/// generations are a fixed array however many products are cached.
/// </summary>
public sealed class ResponseCache : IDisposable
{
    // A write makes stale every product of its stripe: with 2^20 (8 MB of generations) the legacy catalogue's
    // million products have a stripe each. (2^16 put 15 products in each: a vote on any of them made the
    // other 14's answers stale too.)
    const int Stripes = 1 << 20;

    /// <summary>
    /// Answers larger than this (a page of thousands of reviews) are not kept: a few of them would fill the cache and,
    /// as large objects, stay in the process's memory long after (measured: bench/memory.sh, docs/hardening.md).
    /// </summary>
    public const int MaxAnswerBytes = 1 << 20;
    readonly long[] stripes = new long[Stripes];
    long everything;
    volatile bool holding;
    long hits, misses, evictions;
    readonly MemoryCache? cache;

    // Filtered and searched pages (GET /reviews with rating, q or with_photos) are kept apart, within an eighth of the
    // size: searches are many and mostly asked once, and they must not push out the pages every product page asks for.
    // They go stale with their product like every answer (the generations below are per product, whatever the key).
    readonly MemoryCache? filtered;

    /// <summary>The share of <see cref="SizeLimit"/> that filtered and searched answers may take, at most.</summary>
    public const int FilteredShare = 8;

    public ResponseCache(IOptions<CacheOptions> settings)
    {
        var options = settings.Value;
        SizeLimit = options.SizeLimitBytes; // once: unset, it is derived from the memory the process may use
        if (options.Enabled)
        {
            cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = SizeLimit, TrackStatistics = true });
            filtered = new MemoryCache(new MemoryCacheOptions { SizeLimit = SizeLimit / FilteredShare, TrackStatistics = true });
        }
    }

    MemoryCache? For(in CacheKey key) => key.Filter is null ? cache : filtered;

    sealed record Answer(byte[] Json, CacheGeneration Generation);

    public bool Enabled => cache is not null;
    public long SizeLimit { get; }
    public long Size => (cache?.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0) + (filtered?.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0);

    /// <summary>What the filtered and searched answers take now (at most <see cref="SizeLimit"/> / <see cref="FilteredShare"/>).</summary>
    public long FilteredSize => filtered?.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>Lookups answered from memory, lookups that were not, and evictions (a product's or everything), so far.</summary>
    public long Hits => Interlocked.Read(ref hits);
    public long Misses => Interlocked.Read(ref misses);
    public long Evictions => Interlocked.Read(ref evictions);

    static int StripeOf(long productId) => (int)((ulong)productId % Stripes);

    /// <summary>The cached answer, or one read now (and kept); <paramref name="skipCached"/> reads even when one is cached.</summary>
    public async ValueTask<byte[]> GetOrReadAsync(CacheKey key, Func<Task<byte[]>> read, bool skipCached = false)
    {
        if (TryGet(key, out var hit, out var seen, skipCached))
            return hit;
        var json = await read();
        Set(key, json, seen);
        return json;
    }

    /// <summary>
    /// The cached answer, if there is a current one; else the generation to give <see cref="Set"/> with the answer read
    /// now (seen before the read, so that a write landing meanwhile makes that answer stale at once). With
    /// <paramref name="skipCached"/>, a miss whatever is kept (and counted as one).
    /// </summary>
    public bool TryGet(CacheKey key, out byte[] json, out CacheGeneration seen, bool skipCached = false)
    {
        seen = new CacheGeneration(Volatile.Read(ref stripes[StripeOf(key.ProductId)]), Volatile.Read(ref everything));
        if (For(key) is { } store && !skipCached && store.TryGetValue(key, out Answer? hit) && hit!.Generation == seen)
        {
            Interlocked.Increment(ref hits);
            json = hit.Json;
            return true;
        }
        if (cache is not null)
            Interlocked.Increment(ref misses);
        json = [];
        return false;
    }

    /// <summary>Keeps an answer read after <see cref="TryGet"/> gave <paramref name="seen"/> (not one over <see cref="MaxAnswerBytes"/>).</summary>
    public void Set(CacheKey key, byte[] json, CacheGeneration seen)
    {
        if (For(key) is not { } store || holding || json.Length > MaxAnswerBytes)
            return;
        store.Set(key, new Answer(json, seen), new MemoryCacheEntryOptions
        {
            Size = json.Length + 200,
            // A bound on staleness should a writer die between its commit and its notice to the others.
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5),
        });
    }

    /// <summary>Every cached answer of the product is stale from now on (call it before answering a write).</summary>
    public void Evict(long productId)
    {
        Interlocked.Increment(ref stripes[StripeOf(productId)]);
        Interlocked.Increment(ref evictions);
    }

    /// <summary>
    /// Keep no new answers (changes may be going unheard) but go on serving the ones kept, until <see cref="Resume"/>.
    /// </summary>
    public void Hold() => holding = true;

    public bool Holding => holding;

    /// <summary>Keep answers again (after a <see cref="Clear"/>: those held may have missed changes).</summary>
    public void Resume() => holding = false;

    /// <summary>Every cached answer is stale from now on, and the memory is given back.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref everything);
        Interlocked.Increment(ref evictions);
        cache?.Compact(1.0);
        filtered?.Compact(1.0);
    }

    public void Dispose()
    {
        cache?.Dispose();
        filtered?.Dispose();
    }
}
