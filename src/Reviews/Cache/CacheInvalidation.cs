using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Reviews.Store;

namespace Reviews.Cache;

/// <summary>
/// Keeps every instance's cache in step with writes. A write calls <see cref="Changed"/> after its commit and
/// before its response: the product is evicted here at once, and queued for the other instances, which a
/// background publisher tells in batches through PostgreSQL NOTIFY on <see cref="Database.ChangesChannel"/> (a NOTIFY inside
/// each write's own transaction would serialize all commits: measured 2,000 instead of 5,400 writes/s).
/// Instances with a cache LISTEN and evict. If the listening connection drops, notices may go unheard: the instance
/// keeps no new answers, serves the ones it has for <see cref="CacheOptions.StaleIfDisconnectedSeconds"/> (so a
/// primary's restart does not turn every cached read into a 503), then drops them, and subscribes again; once
/// subscribed it clears everything (notices may have been missed meanwhile) and caches again.
/// A notice names the instance that sent it and when ("instance/unix-ms:id,id,…"), which skips its own: it evicted
/// when it wrote, and evicting again later would only throw away answers read since. The time gives the delivery lag.
/// </summary>
public sealed class CacheInvalidation(ResponseCache cache, NpgsqlDataSource dataSource,
    [FromKeyedServices(Database.Listener)] NpgsqlDataSource listener, IOptions<CacheOptions> options,
    ILogger<CacheInvalidation> log) : BackgroundService
{
    readonly TimeSpan staleIfDisconnected = TimeSpan.FromSeconds(options.Value.StaleIfDisconnectedSeconds);

    // A NOTIFY payload holds at most 8000 bytes: a notice takes ids up to this many (ASCII) characters.
    const int MaxPayload = 7900;

    // Changes waiting to be told. Past this many (the database has been unreachable for a while) a change is not
    // queued, and the next notice tells every instance to clear its whole cache instead.
    const int MaxPending = 100_000;

    readonly Channel<long> outbox = System.Threading.Channels.Channel.CreateBounded<long>(
        new BoundedChannelOptions(MaxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    int overflowed;
    long subscriptions;

    /// <summary>This instance's name in its notices.</summary>
    public string Instance { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Raised with each notice's payload once this instance has acted on it (tests await it).</summary>
    public event Action<string>? NoticeHandled;

    /// <summary>Raised with each notice's delivery lag (from its sending to its handling here), its own skipped.</summary>
    public event Action<TimeSpan>? NoticeReceived;

    long sent;

    /// <summary>Notices sent so far.</summary>
    public long NoticesSent => Interlocked.Read(ref sent);

    /// <summary>How many times this instance has subscribed (tests wait on it after cutting the connection).</summary>
    public long Subscriptions => Interlocked.Read(ref subscriptions);

    /// <summary>A write to the product has committed: evict it here now, and tell the other instances.</summary>
    public void Changed(long productId)
    {
        cache.Evict(productId);
        if (!outbox.Writer.TryWrite(productId))
            Volatile.Write(ref overflowed, 1);
    }

    protected override Task ExecuteAsync(CancellationToken stopping) =>
        Task.WhenAll(PublishAsync(stopping), cache.Enabled ? ListenAsync(stopping) : Task.CompletedTask);

    async Task PublishAsync(CancellationToken stopping)
    {
        try
        {
            while (await outbox.Reader.WaitToReadAsync(stopping))
            {
                var payload = NextPayload();
                // A notice fits its limit, so a failure is the database's: the same notice goes again once it is back.
                while (true)
                {
                    try
                    {
                        // The notice alone needs no durable commit: losing it with the server is losing the caches too.
                        await using var notify = dataSource.CreateCommand("SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)");
                        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Database.ChangesChannel });
                        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
                        await notify.ExecuteNonQueryAsync(stopping);
                        Interlocked.Increment(ref sent);
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        log.LogWarning("Could not notify other instances of changed products ({Message}); retrying.", e.Message);
                        await Task.Delay(TimeSpan.FromSeconds(1), stopping);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>"instance/ms:id,id,…" with as many distinct waiting ids as fit, or "instance/ms:*" after an overflow.</summary>
    string NextPayload()
    {
        var payload = new StringBuilder(Instance).Append('/').Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Append(':');
        if (Interlocked.Exchange(ref overflowed, 0) == 1)
        {
            while (outbox.Reader.TryRead(out _))
            {
            }
            return payload.Append(Database.EverythingChanged).ToString();
        }
        var ids = new HashSet<long>();
        while (outbox.Reader.TryPeek(out var id) && (ids.Contains(id) || payload.Length + 21 <= MaxPayload))
        {
            outbox.Reader.TryRead(out _);
            if (ids.Add(id))
                payload.Append(ids.Count == 1 ? "" : ",").Append(id);
        }
        return payload.ToString();
    }

    async Task ListenAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await listener.OpenConnectionAsync(stopping);
                connection.Notification += (_, e) => Evict(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Database.ChangesChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                cache.Clear();
                cache.Resume();
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
                if (cache.Holding)
                    log.LogDebug("Cache invalidation: subscribing failed ({Message}); trying again.", e.Message);
                else
                {
                    cache.Hold();
                    log.LogWarning("Cache invalidation connection lost ({Message}); serving cached answers for {Seconds} s more, subscribing again.",
                        e.Message, staleIfDisconnected.TotalSeconds);
                    var lost = Subscriptions;
                    _ = Task.Delay(staleIfDisconnected, stopping).ContinueWith(_ =>
                    {
                        if (Subscriptions == lost)
                            cache.Clear();
                    }, TaskScheduler.Default);
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    void Evict(string payload)
    {
        var colon = payload.IndexOf(':');
        var header = colon < 0 ? "" : payload.AsSpan(0, colon);
        var slash = header.IndexOf('/');
        if (!(slash < 0 ? header : header[..slash]).SequenceEqual(Instance))
        {
            if (slash >= 0 && long.TryParse(header[(slash + 1)..], out var sentAt))
                NoticeReceived?.Invoke(TimeSpan.FromMilliseconds(Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - sentAt)));
            foreach (var id in payload[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                // Anything but a product id (the importer's "*" included) stands for everything.
                if (long.TryParse(id, out var productId))
                    cache.Evict(productId);
                else
                    cache.Clear();
            }
        }
        NoticeHandled?.Invoke(payload);
    }
}
