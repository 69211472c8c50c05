using System.Diagnostics.Metrics;
using Reviews.Cache;
using Reviews.Changes;
using Reviews.Store;

namespace Reviews.Telemetry;

/// <summary>
/// The service's own instruments (meter "Reviews"), beside ASP.NET Core's, the runtime's and Npgsql's: the cache's
/// hits, misses, evictions and bytes; notices sent and received and their delivery lag; writes by kind; the
/// time statements wait for a pooled connection; standby answers refused as too old.
/// </summary>
public sealed class ReviewsMetrics
{
    public const string MeterName = "Reviews";

    readonly Counter<long> writes;

    public ReviewsMetrics(IMeterFactory meters, ResponseCache cache, ChangeFeed changes, StoreConnections store)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("reviews.cache.hits", () => cache.Hits, "{lookup}", "GET answers served from the cache");
        meter.CreateObservableCounter("reviews.cache.misses", () => cache.Misses, "{lookup}", "GET answers read from the database");
        meter.CreateObservableCounter("reviews.cache.evictions", () => cache.Evictions, "{eviction}", "Products (or, once, everything) evicted by writes");
        meter.CreateObservableUpDownCounter("reviews.cache.size", () => cache.Size, "By", "Bytes of answers held");
        meter.CreateObservableCounter("reviews.notices.sent", () => changes.NoticesSent, "{notice}", "Change notices sent to the other instances");
        var received = meter.CreateCounter<long>("reviews.notices.received", "{notice}", "Change notices received from other instances");
        var lag = meter.CreateHistogram<double>("reviews.notices.lag", "s", "From a notice's sending to its handling here",
            advice: new() { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });
        changes.NoticeReceived += delay =>
        {
            received.Add(1);
            lag.Record(delay.TotalSeconds);
        };
        var waits = meter.CreateHistogram<double>("reviews.db.connection.wait_time", "s", "Time a statement waited for a pooled connection",
            advice: new() { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5] });
        store.ConnectionWaited += wait => waits.Record(wait.TotalSeconds);
        var behind = meter.CreateCounter<long>("reviews.reads.standby_behind", "{read}",
            "Reads a standby answered without having replayed what they required, so read again from the primary");
        store.StandbyBehind += () => behind.Add(1);
        writes = meter.CreateCounter<long>("reviews.writes", "{write}", "Acknowledged writes, by kind (review, helpful, report)");
    }

    public void Wrote(string kind) => writes.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
