using Npgsql;
using NpgsqlTypes;
using Reviews.Store;

namespace Reviews.Changes;

/// <summary>
/// Tells every instance which products changed, and tells this instance's subscribers (<see cref="IChangeSubscriber"/>:
/// the change positions, then the response cache). A write calls <see cref="Changed"/> after its commit and before its
/// response: the subscribers hear of it at once, and the product waits in the <see cref="ChangeOutbox"/> for a
/// background publisher that tells the others in batches through PostgreSQL NOTIFY (a NOTIFY inside each write's own
/// transaction would serialize all commits: measured 2,000 instead of 5,400 writes/s). If a subscriber needs them,
/// the feed LISTENs for the others' notices on a connection of its own; when that connection drops, the subscribers
/// are told, and again once it is back (<see cref="IChangeSubscriber.Subscribed"/>, with the position from which
/// nothing can have gone unheard). The payload's format: <see cref="ChangeNotice"/>.
/// </summary>
public sealed class ChangeFeed(IEnumerable<IChangeSubscriber> subscribers, [FromKeyedServices(Database.Primary)] NpgsqlDataSource primary,
    [FromKeyedServices(Database.Listener)] NpgsqlDataSource listener, ILogger<ChangeFeed> log) : BackgroundService
{
    readonly IChangeSubscriber[] subscribers = [.. subscribers];
    readonly ChangeOutbox outbox = new();
    long sent, subscriptions;

    /// <summary>This instance's name in its notices.</summary>
    public string Instance { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Raised with each notice's payload once this instance has acted on it (tests await it).</summary>
    public event Action<string>? NoticeHandled;

    /// <summary>Raised with each notice's delivery lag (from its sending to its handling here), its own skipped.</summary>
    public event Action<TimeSpan>? NoticeReceived;

    /// <summary>Notices sent so far.</summary>
    public long NoticesSent => Interlocked.Read(ref sent);

    /// <summary>How many times this instance has subscribed (tests wait on it after cutting the connection).</summary>
    public long Subscriptions => Interlocked.Read(ref subscriptions);

    /// <summary>A write to the product has committed: tell the subscribers now, and the other instances soon.</summary>
    public void Changed(long productId)
    {
        foreach (var subscriber in subscribers)
            subscriber.Written(productId);
        outbox.Add(productId);
    }

    protected override Task ExecuteAsync(CancellationToken stopping)
    {
        var listen = subscribers.Any(s => s.NeedsNotices);
        if (!listen)
            foreach (var subscriber in subscribers)
                subscriber.HearingNone();
        return Task.WhenAll(PublishAsync(stopping), listen ? ListenAsync(stopping) : Task.CompletedTask);
    }

    async Task PublishAsync(CancellationToken stopping)
    {
        try
        {
            while (await outbox.WaitAsync(stopping))
            {
                var header = ChangeNotice.Header(Instance, DateTimeOffset.UtcNow);
                var ids = outbox.Next(header);
                // A notice fits its limit, so a failure is the database's: the same notice goes again once it is back.
                while (true)
                {
                    try
                    {
                        await using var notify = primary.CreateCommand(ChangeNotice.SendSql);
                        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = header });
                        notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ids });
                        var position = (NpgsqlLogSequenceNumber)(await notify.ExecuteScalarAsync(stopping))!;
                        Interlocked.Increment(ref sent);
                        Tell(ChangeNotice.Sent(ids, position), own: true);
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

    async Task ListenAsync(CancellationToken stopping)
    {
        var told = false; // the subscribers, that changes are going unheard
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await listener.OpenConnectionAsync(stopping);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotice.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                // Changes before now may have gone unheard: standbys must have replayed up to here.
                await using (var now = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", connection))
                {
                    var position = (NpgsqlLogSequenceNumber)(await now.ExecuteScalarAsync(stopping))!;
                    foreach (var subscriber in subscribers)
                        subscriber.Subscribed(position);
                }
                told = false;
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
                if (told)
                    log.LogDebug("Change notices: subscribing failed ({Message}); trying again.", e.Message);
                else
                {
                    log.LogWarning("Change notices: connection lost or refused ({Message}); subscribing again.", e.Message);
                    foreach (var subscriber in subscribers)
                        subscriber.Unsubscribed();
                    told = true;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    void Receive(string payload)
    {
        var notice = ChangeNotice.Parse(payload);
        if (notice.Sender != Instance) // its own: heard when it was sent
        {
            if (notice.SentAt is { } sentAt)
                NoticeReceived?.Invoke(TimeSpan.FromMilliseconds(Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - sentAt.ToUnixTimeMilliseconds())));
            Tell(notice, own: false);
        }
        NoticeHandled?.Invoke(payload);
    }

    void Tell(ChangeNotice notice, bool own)
    {
        foreach (var subscriber in subscribers)
            subscriber.Heard(notice, own);
    }
}
