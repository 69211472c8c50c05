using Npgsql;

namespace Reviews.Store;

/// <summary>
/// The outbox: a webhook event is written by the statement or transaction of the change it describes, so it exists
/// exactly when the change committed. Only when some subscription wants that type: with none (the default), a write
/// pays one lookup in an empty table.
/// </summary>
public static class WebhookEvents
{
    public const string Created = "review.created";
    public const string Reported = "review.reported";
    public const string Helpful = "review.helpful";
    public const string Published = "review.published";
    public const string Removed = "review.removed";
    public const string Responded = "review.responded";
    public const string Erased = "review.erased";

    public static IReadOnlyList<string> All { get; } = [Created, Reported, Helpful, Published, Removed, Responded, Erased];

    /// <summary>
    /// A CTE body for a write statement: the event of type <paramref name="type"/> for each row of
    /// <paramref name="rows"/> (which has product_id and review_id columns).
    /// </summary>
    public static string Insert(string type, string rows) => $"""
        INSERT INTO {Database.StaffSchema}.webhook_events (type, product_id, review_id)
        SELECT '{type}', product_id, review_id FROM {rows}
        WHERE EXISTS (SELECT 1 FROM {Database.StaffSchema}.webhook_subscriptions WHERE '{type}' = ANY(events))
        """;

    /// <summary>Writes the event in the caller's transaction (if some subscription wants it).</summary>
    public static async Task AddAsync(NpgsqlConnection connection, string type, long productId, long reviewId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Insert(type, "(SELECT $1::bigint AS product_id, $2::bigint AS review_id) AS e"), connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = productId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reviewId });
        await command.ExecuteNonQueryAsync(ct);
    }
}
