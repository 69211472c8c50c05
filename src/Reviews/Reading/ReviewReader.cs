using System.Text.Json;
using NpgsqlTypes;
using Reviews.Cache;
using Reviews.Changes;
using Reviews.Contract;
using Reviews.Store;

namespace Reviews.Reading;

/// <summary>
/// The read-through protocol, for lists and metas alike: a current cached answer if there is one (a client that wrote
/// moments ago skips it); else the database, on a server that has replayed every change to the product this instance
/// has heard of (for that client, the primary), turned into the contract's JSON and kept. The cache's generation is
/// read before the required position: a change heard of in between makes the answer stale in the cache anyway.
/// </summary>
public sealed class ReviewReader(ReviewQueries queries, ResponseCache cache, ChangePositions positions, LargePageGate largePages)
{
    /// <summary>A page of the product's reviews (<paramref name="page"/> from 1); a ValueTask: a cached answer allocates none.</summary>
    public async ValueTask<JsonAnswer> ListAsync(long productId, ReviewSort sort, int page, int count, ReviewFilter? filter,
        bool recentWriter, CancellationToken ct)
    {
        var key = new CacheKey(productId, sort, page, count, filter);
        if (cache.TryGet(key, out var cached, out var seen, skipCached: recentWriter))
            return new JsonAnswer(cached);
        var required = positions.Required(productId, recentWriter);
        var answer = count <= LargePageGate.LargePage
            ? new JsonAnswer(ReviewsJson.ToUtf8Bytes(await ReadAsync(key, required, ct), ReviewsJson.Web.ReviewList))
            : await LargeAsync(key, required, ct);
        if (answer.Pooled is null)
            cache.Set(key, answer.Json, seen);
        return answer;
    }

    /// <summary>The product's rating counts and characteristic averages.</summary>
    public ValueTask<byte[]> MetaAsync(long productId, bool recentWriter, CancellationToken ct) =>
        cache.GetOrReadAsync(new CacheKey(productId), async () =>
        {
            var totals = await queries.TotalsAsync(productId, positions.Required(productId, recentWriter), ct);
            return ReviewsJson.ToUtf8Bytes(Meta.From(productId, totals), ReviewsJson.Web.Meta);
        }, skipCached: recentWriter);

    /// <summary>The page <paramref name="page"/> names, as the contract's records, from a server that has replayed <paramref name="required"/>.</summary>
    async Task<ReviewList> ReadAsync(CacheKey page, NpgsqlLogSequenceNumber required, CancellationToken ct)
    {
        var (productId, sort, number, count) = (page.ProductId, page.Sort!.Value, page.Page, page.Count);
        // The legacy API echoed the page zero-based.
        return new(productId.ToString(), number - 1, count,
            (await queries.ListAsync(productId, sort, number, count, page.Filter, required, ct)).ConvertAll(ReviewItem.From));
    }

    /// <summary>
    /// A large page: a few at a time, written into pooled memory that stays taken (with its slot) until it is sent;
    /// small after all (a product with few reviews), it is copied out and kept like any other answer.
    /// </summary>
    async Task<JsonAnswer> LargeAsync(CacheKey page, NpgsqlLogSequenceNumber required, CancellationToken ct)
    {
        var slot = await largePages.EnterAsync(ct);
        var pooled = new PooledAnswer(new PooledBufferWriter(largePages.Buffers), slot);
        try
        {
            await using (var writer = new Utf8JsonWriter(pooled.Writer, ReviewsJson.Writing))
                JsonSerializer.Serialize(writer, await ReadAsync(page, required, ct), ReviewsJson.Web.ReviewList);
            if (pooled.Json.Length > ResponseCache.MaxAnswerBytes)
                return new JsonAnswer([], pooled);
            var json = pooled.Json.ToArray();
            pooled.Dispose();
            return new JsonAnswer(json);
        }
        catch
        {
            pooled.Dispose();
            throw;
        }
    }
}
