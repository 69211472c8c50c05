using Npgsql;

namespace Reviews.Api;

/// <summary>
/// Keeps this instance's cache in step with writes made through other instances: every write notifies
/// <see cref="Channel"/> with its product id (in its own statement, so the notice leaves at commit), and
/// this service LISTENs and evicts. If the listening connection drops, notices may have been missed: it
/// clears the whole cache and subscribes again (and clears once more once subscribed, for the gap).
/// </summary>
public sealed class CacheInvalidation(ResponseCache cache, string connectionString, ILogger<CacheInvalidation> log) : BackgroundService
{
    public const string Channel = "reviews_changed";
    public const string Everything = "*";

    long subscriptions;

    /// <summary>How many times this instance has subscribed (tests wait on it after cutting the connection).</summary>
    public long Subscriptions => Interlocked.Read(ref subscriptions);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = "reviews-cache-listener",
            KeepAlive = 5, // notice a dead connection while waiting, not at the next write
            Pooling = false,
        };
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) =>
                {
                    if (long.TryParse(e.Payload, out var productId))
                        cache.Evict(productId);
                    else
                        cache.Clear();
                };
                await connection.OpenAsync(stopping);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                cache.Clear();
                Interlocked.Increment(ref subscriptions);
                while (true)
                    await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                cache.Clear();
                log.LogWarning("Cache invalidation connection lost ({Message}); cache cleared, subscribing again.", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
