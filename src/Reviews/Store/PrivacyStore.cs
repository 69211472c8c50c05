using Npgsql;

namespace Reviews.Store;

/// <summary>
/// A reviewer's privacy requests, on the primary: everything stored under an e-mail address (right of access), and
/// its erasure (right to be forgotten). Addresses match whatever their case.
/// </summary>
public sealed class PrivacyStore(StoreConnections connections)
{
    const string FindSql = """
        SELECT r.id, r.product_id, r.rating, r.date, r.summary, r.body, r.recommend, r.response, r.reviewer_name,
               r.reviewer_email, r.helpfulness, r.state,
               coalesce((SELECT array_agg(p.url ORDER BY p.id) FROM photos AS p WHERE p.review_id = r.id), '{}'),
               coalesce(cr.ids, '{}'), coalesce(cr.names, '{}'), coalesce(cr.vals, '{}')
        FROM reviews AS r
        LEFT JOIN LATERAL (
            SELECT array_agg(c.id ORDER BY c.id) AS ids, array_agg(c.name ORDER BY c.id) AS names,
                   array_agg(x.value ORDER BY c.id) AS vals
            FROM characteristic_reviews AS x JOIN characteristics AS c ON c.id = x.characteristic_id
            WHERE x.review_id = r.id) AS cr ON true
        WHERE lower(r.reviewer_email) = lower($1)
        ORDER BY r.id
        """;

    /// <summary>Every review stored under the address, with its photos and characteristic ratings.</summary>
    public async Task<List<ReviewerRecord>> FindAsync(string email, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand(FindSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = email });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var records = new List<ReviewerRecord>();
        while (await reader.ReadAsync(ct))
        {
            var ids = reader.GetFieldValue<long[]>(13);
            var names = reader.GetFieldValue<string[]>(14);
            var values = reader.GetFieldValue<short[]>(15);
            records.Add(new ReviewerRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt16(2), reader.GetDateTime(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetBoolean(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetInt32(10),
                reader.GetString(11), reader.GetFieldValue<string[]>(12),
                [.. ids.Select((id, i) => new CharacteristicRating(id, names[i], values[i]))]));
        }
        return records;
    }

    /// <summary>
    /// Erases every review stored under the address (texts, name, address, photos, characteristic ratings), takes the
    /// published ones out of the kept totals, remembers their ids so no import brings them back, and records the
    /// erasure in the audit trail under <paramref name="reviewer"/> (a keyed hash, not the address). One transaction;
    /// a second request finds nothing to erase.
    /// </summary>
    public async Task<List<ErasedReview>> EraseAsync(string email, string actor, string reviewer, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Every row locked first, in id order: then the totals, review by review, in the lock order of every write.
        var found = new List<(long Id, long ProductId, string State)>();
        await using (var select = new NpgsqlCommand(
            "SELECT id, product_id, state FROM reviews WHERE lower(reviewer_email) = lower($1) ORDER BY id FOR UPDATE", connection))
        {
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = email });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                found.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        }
        foreach (var review in found.Where(r => r.State == ReviewStates.Published))
            await KeptTotals.ApplyAsync(connection, review.Id, -1, ct);

        var ids = found.Select(r => r.Id).ToArray();
        await using (var erase = new NpgsqlBatch(connection))
        {
            foreach (var sql in (string[])[
                "DELETE FROM photos WHERE review_id = ANY($1)",
                "DELETE FROM characteristic_reviews WHERE review_id = ANY($1)",
                "DELETE FROM idempotency_keys WHERE review_id = ANY($1)",
                "DELETE FROM reviews WHERE id = ANY($1)",
                $"INSERT INTO {Database.StaffSchema}.erased_reviews (review_id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING"])
            {
                var statement = new NpgsqlBatchCommand(sql);
                statement.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
                erase.BatchCommands.Add(statement);
            }
            await erase.ExecuteNonQueryAsync(ct);
        }
        var detail = $"privacy erasure of {found.Count} review(s) by {reviewer}";
        if (found.Count == 0)
            await StaffAudit.AppendAsync(connection, actor, "erase", null, null, null, detail, ct);
        foreach (var review in found)
        {
            await StaffAudit.AppendAsync(connection, actor, "erase", review.Id, review.State, null, detail, ct);
            await WebhookEvents.AddAsync(connection, WebhookEvents.Erased, review.ProductId, review.Id, ct);
        }
        await tx.CommitAsync(ct);
        return [.. found.Select(r => new ErasedReview(r.Id, r.ProductId))];
    }
}
