using Npgsql;

namespace Reviews.Store;

/// <summary>
/// Webhooks in the database, on the primary: subscriptions; the events turned into one delivery per subscription
/// that wants them; deliveries taken by one instance at a time (FOR UPDATE SKIP LOCKED, then a lease), and their
/// outcome; the dead letters and their replay.
/// </summary>
public sealed class WebhookStore(StoreConnections connections)
{
    const string S = Database.StaffSchema;

    public async Task<long> SubscribeAsync(string url, string[] events, string secret, string actor, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {S}.webhook_subscriptions (url, events, secret, created_by) VALUES ($1, $2, $3, $4) RETURNING id", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = url });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = secret });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<List<WebhookSubscription>> SubscriptionsAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT id, url, events, created_at, created_by FROM {S}.webhook_subscriptions ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<WebhookSubscription>();
        while (await reader.ReadAsync(ct))
            list.Add(new WebhookSubscription(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<string[]>(2),
                reader.GetDateTime(3), reader.GetString(4)));
        return list;
    }

    /// <summary>Removes a subscription and its deliveries not yet made; false when there is none.</summary>
    public async Task<bool> UnsubscribeAsync(long id, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand($"DELETE FROM {S}.webhook_subscriptions WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Turns waiting events into deliveries, one per subscription that wants each; returns how many events.</summary>
    public async Task<int> FanOutAsync(int batch, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand($"""
            WITH taken AS (
                UPDATE {S}.webhook_events SET fanned_out = true
                WHERE id IN (SELECT id FROM {S}.webhook_events WHERE NOT fanned_out ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING id, type
            ), made AS (
                INSERT INTO {S}.webhook_deliveries (event_id, subscription_id)
                SELECT t.id, s.id FROM taken AS t JOIN {S}.webhook_subscriptions AS s ON t.type = ANY(s.events)
                ON CONFLICT DO NOTHING
            )
            SELECT count(*) FROM taken
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batch });
        return (int)(long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Takes up to <paramref name="batch"/> due deliveries for <paramref name="lease"/>: no other instance takes them
    /// meanwhile; one not finished by then (its instance died) is due again.
    /// </summary>
    public async Task<List<DueDelivery>> TakeDueAsync(int batch, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand($"""
            UPDATE {S}.webhook_deliveries AS d
            SET locked_until = now() + $2, attempts = d.attempts + 1
            FROM {S}.webhook_events AS e, {S}.webhook_subscriptions AS s
            WHERE d.id IN (SELECT id FROM {S}.webhook_deliveries
                           WHERE state = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
              AND e.id = d.event_id AND s.id = d.subscription_id
            RETURNING d.id, e.id, e.type, e.at, e.product_id, e.review_id, s.id, s.url, s.secret, d.attempts
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batch });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = lease });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var due = new List<DueDelivery>();
        while (await reader.ReadAsync(ct))
            due.Add(new DueDelivery(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetDateTime(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetString(7), reader.GetString(8), reader.GetInt32(9)));
        return due;
    }

    /// <summary>The receiver answered 2xx: delivered, never sent again.</summary>
    public Task DeliveredAsync(long id, int status) => FinishAsync(
        "state = 'delivered', delivered_at = now(), locked_until = NULL, last_status = $2, last_error = NULL", id, status, null, null);

    /// <summary>It failed: due again at <paramref name="retryIn"/> from now, or dead (null) after the last attempt.</summary>
    public Task FailedAsync(long id, int? status, string error, TimeSpan? retryIn) => retryIn is { } wait
        ? FinishAsync("next_attempt_at = now() + $4, locked_until = NULL, last_status = $2, last_error = $3", id, status, error, wait)
        : FinishAsync("state = 'dead', locked_until = NULL, last_status = $2, last_error = $3", id, status, error, null);

    async Task FinishAsync(string set, long id, int? status, string? error, TimeSpan? wait)
    {
        // Not cancelled by shutdown: a delivery made must be recorded, or it is sent again.
        await using var connection = await connections.OpenPrimaryAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand($"UPDATE {S}.webhook_deliveries SET {set} WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = status });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan?> { TypedValue = wait });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>How long the oldest event not yet delivered to every receiver has waited (zero when none waits).</summary>
    public async Task<TimeSpan> OldestUndeliveredAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand($"""
            SELECT coalesce(extract(epoch FROM now() - least(
                (SELECT min(at) FROM {S}.webhook_events WHERE NOT fanned_out),
                (SELECT min(e.at) FROM {S}.webhook_deliveries AS d JOIN {S}.webhook_events AS e ON e.id = d.event_id WHERE d.state = 'pending'))), 0)::float8
            """, connection);
        return TimeSpan.FromSeconds((double)(await command.ExecuteScalarAsync(ct))!);
    }

    /// <summary>Deliveries in a state (dead: given up), newest first.</summary>
    public async Task<List<DeliveryRecord>> DeliveriesAsync(string state, int limit, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand($"""
            SELECT d.id, e.id, e.type, e.review_id, s.id, s.url, d.state, d.attempts, e.at, d.last_status, d.last_error
            FROM {S}.webhook_deliveries AS d
            JOIN {S}.webhook_events AS e ON e.id = d.event_id
            JOIN {S}.webhook_subscriptions AS s ON s.id = d.subscription_id
            WHERE d.state = $1 ORDER BY d.id DESC LIMIT $2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<DeliveryRecord>();
        while (await reader.ReadAsync(ct))
            list.Add(new DeliveryRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetString(5), reader.GetString(6), reader.GetInt32(7), reader.GetDateTime(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
        return list;
    }

    /// <summary>A dead delivery tried again from its first attempt; false when there is no dead delivery with that id.</summary>
    public async Task<bool> ReplayAsync(long id, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand($"""
            UPDATE {S}.webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL
            WHERE id = $1 AND state = 'dead'
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
