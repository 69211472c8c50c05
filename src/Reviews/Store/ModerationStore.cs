using Npgsql;

namespace Reviews.Store;

/// <summary>
/// The moderators' reads and writes, on the primary: the queues, a review's state, the shop's response, and the
/// audit trail each action appends to in its own transaction.
/// </summary>
public sealed class ModerationStore(StoreConnections connections)
{
    /// <summary>
    /// Moves the review to <paramref name="state"/>; null when there is no such review. A review that enters or
    /// leaves the published state enters or leaves the kept totals in the same transaction.
    /// </summary>
    public async Task<StateChange?> SetStateAsync(long reviewId, string state, string actor, string action, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await LockAsync(connection, reviewId, ct) is not { } locked)
            return null;
        var (productId, before) = locked;
        if (before != state)
        {
            await using (var update = new NpgsqlCommand(
                "UPDATE reviews SET state = $2, reported = ($2 <> 'published'), state_since = now() WHERE id = $1", connection))
            {
                update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reviewId });
                update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state });
                await update.ExecuteNonQueryAsync(ct);
            }
            if ((before == ReviewStates.Published) != (state == ReviewStates.Published))
                await KeptTotals.ApplyAsync(connection, reviewId, state == ReviewStates.Published ? 1 : -1, ct);
            if (state is ReviewStates.Published or ReviewStates.Removed)
                await WebhookEvents.AddAsync(connection, state == ReviewStates.Published ? WebhookEvents.Published : WebhookEvents.Removed,
                    productId, reviewId, ct);
        }
        await StaffAudit.AppendAsync(connection, actor, action, reviewId, before, state, null, ct);
        await tx.CommitAsync(ct);
        return new StateChange(productId, before, state);
    }

    /// <summary>Sets (or, with null, clears) the shop's response to the review; null when there is no such review.</summary>
    public async Task<StateChange?> SetResponseAsync(long reviewId, string? response, string actor, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await LockAsync(connection, reviewId, ct) is not { } locked)
            return null;
        var (productId, state) = locked;
        await using (var update = new NpgsqlCommand(RespondSql, connection))
        {
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reviewId });
            update.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = response });
            await update.ExecuteNonQueryAsync(ct);
        }
        await WebhookEvents.AddAsync(connection, WebhookEvents.Responded, productId, reviewId, ct);
        await StaffAudit.AppendAsync(connection, actor, "respond", reviewId, state, state,
            response is null ? "response cleared" : $"response set ({response.Length} characters)", ct);
        await tx.CommitAsync(ct);
        return new StateChange(productId, state, state);
    }

    /// <summary>Locks the review's row until the transaction ends; its product and state, or null when there is none.</summary>
    static async Task<(long ProductId, string State)?> LockAsync(NpgsqlConnection connection, long reviewId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT product_id, state FROM reviews WHERE id = $1 FOR UPDATE", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reviewId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    // The response and, with it, the searched text (ReviewQueries.SearchVector, the new response in place of the old:
    // in an UPDATE, the columns read are the row's values before it).
    static readonly string RespondSql =
        $"UPDATE reviews SET response = $2, search = {ReviewQueries.SearchVector.Replace("response", "$2::text")} WHERE id = $1";

    const string QueueSql = """
        SELECT r.id, r.product_id, r.rating, r.summary, r.body, r.recommend, r.response, r.reviewer_name, r.date,
               r.helpfulness, r.state, r.state_since,
               coalesce((SELECT array_agg(p.url ORDER BY p.id) FROM photos AS p WHERE p.review_id = r.id), '{}')
        FROM reviews AS r
        WHERE r.reported AND r.state = $1
        ORDER BY r.state_since NULLS FIRST, r.id
        LIMIT $2 OFFSET $3
        """;

    /// <summary>A page of the reviews in a hidden state, the longest waiting first.</summary>
    public async Task<List<QueuedReview>> QueueAsync(string state, int page, int count, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand(QueueSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)(page - 1) * count });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var results = new List<QueuedReview>();
        while (await reader.ReadAsync(ct))
            results.Add(new QueuedReview(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt16(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7), reader.GetDateTime(8), reader.GetInt32(9),
                reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetDateTime(11), reader.GetFieldValue<string[]>(12)));
        return results;
    }

    /// <summary>The audit trail of one review, oldest first.</summary>
    public async Task<List<AuditRecord>> AuditAsync(long reviewId, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand($"""
            SELECT id, at, actor, action, review_id, state_before, state_after, detail
            FROM {Database.StaffSchema}.audit WHERE review_id = $1 ORDER BY id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reviewId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(ct))
            records.Add(new AuditRecord(reader.GetInt64(0), reader.GetDateTime(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        return records;
    }
}
