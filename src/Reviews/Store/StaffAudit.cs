using Npgsql;

namespace Reviews.Store;

/// <summary>The staff's audit trail (staff.audit, append-only): each action written in the transaction that does it.</summary>
static class StaffAudit
{
    /// <summary>Appends a staff action to the audit trail, in the caller's transaction.</summary>
    public static async Task AppendAsync(NpgsqlConnection connection, string actor, string action, long? reviewId,
        string? before, string? after, string? detail, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {Database.StaffSchema}.audit (actor, action, review_id, state_before, state_after, detail)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = action });
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = reviewId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = before });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = detail });
        await command.ExecuteNonQueryAsync(ct);
    }
}
