using Microsoft.Extensions.Options;
using NpgsqlTypes;
using Reviews.Changes;

namespace Reviews.Cache;

/// <summary>
/// The response cache's side of the change feed: a product's answers are evicted when it changes (here at once, from
/// another instance when its notice arrives). While the feed is not subscribed, notices may go unheard: no new answer is
/// kept, the ones kept are served for <see cref="CacheOptions.StaleIfDisconnectedSeconds"/> (so a primary's restart does
/// not turn every cached read into a 503), then dropped; once subscribed again, everything is cleared (notices may have
/// been missed meanwhile) and answers are kept again.
/// </summary>
public sealed class CacheSubscriber(ResponseCache cache, IOptions<CacheOptions> options, ILogger<CacheSubscriber> log) : IChangeSubscriber
{
    readonly TimeSpan staleIfDisconnected = TimeSpan.FromSeconds(options.Value.StaleIfDisconnectedSeconds);
    long subscriptions;

    public bool NeedsNotices => cache.Enabled;

    public void Written(long productId) => cache.Evict(productId);

    public void Heard(ChangeNotice notice, bool own)
    {
        if (own) // evicted when written
            return;
        if (notice.EverythingChanged)
            cache.Clear();
        foreach (var productId in notice.ProductIds)
            cache.Evict(productId);
    }

    public void Subscribed(NpgsqlLogSequenceNumber position)
    {
        cache.Clear();
        cache.Resume();
        Interlocked.Increment(ref subscriptions);
    }

    public void Unsubscribed()
    {
        cache.Hold();
        log.LogWarning("Cache: serving cached answers for {Seconds} s more while changes may go unheard.", staleIfDisconnected.TotalSeconds);
        var lost = Interlocked.Read(ref subscriptions);
        _ = Task.Delay(staleIfDisconnected).ContinueWith(_ =>
        {
            if (Interlocked.Read(ref subscriptions) == lost)
                cache.Clear();
        }, TaskScheduler.Default);
    }
}
