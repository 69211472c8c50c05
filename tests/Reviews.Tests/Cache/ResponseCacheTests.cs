using Microsoft.Extensions.Options;
using Reviews.Cache;
using Reviews.Store;

namespace Reviews.Tests.Cache;

/// <summary>The response cache alone, without a database or a server.</summary>
public sealed class ResponseCacheTests
{
    static ResponseCache Cache(int megabytes = 1) => new(Options.Create(new CacheOptions { SizeMb = megabytes }));

    [Fact]
    public async Task The_cache_stays_within_its_bound()
    {
        using var cache = Cache(megabytes: 1);
        for (var product = 1; product <= 1000; product++) // 4 MB of answers for a 1 MiB cache
            await cache.GetOrReadAsync(new CacheKey(product), () => Task.FromResult(new byte[4000]));
        Assert.InRange(cache.Size, 1, cache.SizeLimit);
    }

    [Fact]
    public async Task One_off_searches_take_an_eighth_at_most_and_never_push_out_the_plain_pages()
    {
        using var cache = Cache(megabytes: 1);
        var page = new CacheKey(1, ReviewSort.Relevant, 1, 5);
        await cache.GetOrReadAsync(page, () => Task.FromResult(new byte[4000]));
        for (var i = 0; i < 1000; i++) // 4 MB of searches, each asked once
            await cache.GetOrReadAsync(page with { Filter = new ReviewFilter(0, $"word{i}", false) }, () => Task.FromResult(new byte[4000]));
        Assert.InRange(cache.FilteredSize, 1, cache.SizeLimit / ResponseCache.FilteredShare);
        Assert.True(cache.TryGet(page, out _, out _), "the plain page is still kept");
        // ...and a filtered answer goes stale with its product like any other.
        var search = page with { Filter = new ReviewFilter(0, "fits", false) };
        await cache.GetOrReadAsync(search, () => Task.FromResult(new byte[10]));
        Assert.True(cache.TryGet(search, out _, out _));
        cache.Evict(1);
        Assert.False(cache.TryGet(search, out _, out _));
    }

    [Fact]
    public void A_size_set_is_the_size_kept()
    {
        using var cache = new ResponseCache(Options.Create(new CacheOptions { SizeMb = 300 }));
        Assert.Equal(300L << 20, cache.SizeLimit);
    }

    [Fact]
    public async Task An_answer_is_read_once_until_its_product_is_evicted()
    {
        using var cache = Cache();
        var reads = 0;
        Task<byte[]> Read() => Task.FromResult(new[] { (byte)++reads });
        var key = new CacheKey(2, ReviewSort.Newest, 1, 5);

        Assert.Equal(1, (await cache.GetOrReadAsync(key, Read))[0]);
        Assert.Equal(1, (await cache.GetOrReadAsync(key, Read))[0]);
        cache.Evict(3);
        Assert.Equal(1, (await cache.GetOrReadAsync(key, Read))[0]);
        cache.Evict(2);
        Assert.Equal(2, (await cache.GetOrReadAsync(key, Read))[0]);
        cache.Clear();
        Assert.Equal(3, (await cache.GetOrReadAsync(key, Read))[0]);
    }

    [Fact]
    public async Task An_answer_read_while_its_product_was_written_is_not_kept()
    {
        using var cache = Cache();
        var key = new CacheKey(2);
        // The write lands after the read began and before it ended: its answer may predate the write.
        await cache.GetOrReadAsync(key, () => { cache.Evict(2); return Task.FromResult(new byte[] { 1 }); });
        Assert.Equal(2, (await cache.GetOrReadAsync(key, () => Task.FromResult(new byte[] { 2 })))[0]);
    }

    [Fact]
    public async Task An_answer_over_a_mebibyte_is_not_kept()
    {
        using var cache = Cache(megabytes: 64);
        var reads = 0;
        Task<byte[]> Read() { reads++; return Task.FromResult(new byte[ResponseCache.MaxAnswerBytes + 1]); }
        await cache.GetOrReadAsync(new CacheKey(1), Read);
        await cache.GetOrReadAsync(new CacheKey(1), Read);
        Assert.Equal(2, reads);
        Assert.Equal(0, cache.Size);
    }

    [Fact]
    public async Task Switched_off_it_reads_every_time()
    {
        using var cache = new ResponseCache(Options.Create(new CacheOptions { Enabled = false }));
        var reads = 0;
        for (var i = 0; i < 3; i++)
            await cache.GetOrReadAsync(new CacheKey(1), () => Task.FromResult(new[] { (byte)++reads }));
        Assert.Equal(3, reads);
        Assert.False(cache.Enabled);
    }
}
