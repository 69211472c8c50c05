using Npgsql;
using NpgsqlTypes;

namespace Reviews.Store;

/// <summary>
/// The API's writes, each one statement (one transaction) on the primary, within the writers' share of its pool
/// (<see cref="WriteGate"/>): a new review with its photos, ratings and the kept totals; a helpful vote; a report.
/// And the idempotency keys a POST may carry.
/// </summary>
public sealed class ReviewWrites(StoreConnections connections)
{
    readonly WriteGate gate = new(connections.PrimaryPoolSize);

    /// <summary>The ids of the product's characteristics, to check a new review's ratings against.</summary>
    public async Task<HashSet<long>> CharacteristicIdsAsync(long productId, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand("SELECT id FROM characteristics WHERE product_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = productId });
        var ids = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetInt64(0));
        return ids;
    }

    // One statement, so one transaction: the review, its photos, its ratings and the aggregates. Every write locks
    // a product's totals before its characteristics' (here characteristic_totals reads product_totals, so it runs
    // after it), the order a report takes too: two writes to one product queue instead of deadlocking.
    static readonly string AddSql = $"""
        WITH review AS (
            INSERT INTO reviews (product_id, rating, date, summary, body, recommend, reviewer_name, reviewer_email, search)
            VALUES ($1, $2, date_trunc('milliseconds', now()), $3, $4, $5, $6, $7, {NewSearchVector})
            RETURNING id
        ), {NewRowsSql}, product_totals AS (
            INSERT INTO product_stats AS s
                (product_id, rating_1, rating_2, rating_3, rating_4, rating_5, recommended_false, recommended_true)
            VALUES ($1, ($2 = 1)::int, ($2 = 2)::int, ($2 = 3)::int, ($2 = 4)::int, ($2 = 5)::int,
                    (NOT $5)::int, $5::int)
            {KeptTotals.AddToProductTotals}
            RETURNING 1
        ), characteristic_totals AS (
            INSERT INTO characteristic_stats AS s (characteristic_id, ratings_sum, ratings_count)
            SELECT t.id, t.value, 1 FROM product_totals, unnest($9::bigint[], $10::smallint[]) AS t(id, value)
            ORDER BY t.id
            ON CONFLICT (characteristic_id) DO UPDATE
            SET ratings_sum = s.ratings_sum + excluded.ratings_sum, ratings_count = s.ratings_count + 1
        ), event AS (
            {WebhookEvents.Insert(WebhookEvents.Created, "(SELECT $1::bigint AS product_id, id AS review_id FROM review) AS e")}
        )
        SELECT id FROM review
        """;

    // A review held for approval (Reviews:Moderation:HoldNewReviews): hidden, and out of the totals until published.
    static readonly string HeldAddSql = $"""
        WITH review AS (
            INSERT INTO reviews (product_id, rating, date, summary, body, recommend, reviewer_name, reviewer_email,
                                 reported, state, state_since, search)
            VALUES ($1, $2, date_trunc('milliseconds', now()), $3, $4, $5, $6, $7, true, 'pending', now(), {NewSearchVector})
            RETURNING id
        ), {NewRowsSql}
        SELECT id FROM review
        """;

    // A new review's searched text (ReviewQueries.SearchVector: it has no response yet).
    const string NewSearchVector = "to_tsvector('english', coalesce($3, '') || ' ' || $4)";

    // What comes with every new review: its photos, its ratings, and its idempotency key.
    const string NewRowsSql = """
        new_photos AS (
            INSERT INTO photos (review_id, url)
            SELECT review.id, u.url FROM review, unnest($8::text[]) WITH ORDINALITY AS u(url, n) ORDER BY u.n
        ), new_ratings AS (
            INSERT INTO characteristic_reviews (characteristic_id, review_id, value)
            SELECT t.id, review.id, t.value FROM review, unnest($9::bigint[], $10::smallint[]) AS t(id, value)
        ), idempotency_key AS (
            -- A second request with this key fails here on the primary key, and its review is rolled back with it.
            INSERT INTO idempotency_keys (key, request, review_id)
            SELECT $11, $12, review.id FROM review WHERE $11 IS NOT NULL
        )
        """;

    /// <summary>
    /// Inserts the review (<paramref name="held"/>: pending approval); returns its id. With a key: null when the key is
    /// already taken (see <see cref="FindKeyedAsync"/>), and nothing is inserted.
    /// </summary>
    public Task<long?> AddAsync(NewReview review, IdempotencyKey? key, bool held, CancellationToken ct) => gate.RunAsync(async () =>
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand(held ? HeldAddSql : AddSql, connection);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<long> { TypedValue = review.ProductId });
        p.Add(new NpgsqlParameter<short> { TypedValue = review.Rating });
        p.Add(new NpgsqlParameter<string> { TypedValue = review.Summary });
        p.Add(new NpgsqlParameter<string> { TypedValue = review.Body });
        p.Add(new NpgsqlParameter<bool> { TypedValue = review.Recommend });
        p.Add(new NpgsqlParameter<string> { TypedValue = review.Name });
        p.Add(new NpgsqlParameter<string> { TypedValue = review.Email });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = review.Photos, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = review.CharacteristicIds });
        p.Add(new NpgsqlParameter<short[]> { TypedValue = review.CharacteristicValues });
        p.Add(new NpgsqlParameter { Value = (object?)key?.Key ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)key?.RequestHash ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        try
        {
            return (long?)(long)(await command.ExecuteScalarAsync(ct))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.TableName == "idempotency_keys")
        {
            return null;
        }
    });

    /// <summary>The review created under an idempotency key, or null when the key is new.</summary>
    public async Task<KeyedReview?> FindKeyedAsync(string key, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand("SELECT review_id, request FROM idempotency_keys WHERE key = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new KeyedReview(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    /// <summary>Forgets the idempotency keys older than <paramref name="age"/>; returns how many.</summary>
    public async Task<int> ForgetKeysOlderThanAsync(TimeSpan age, CancellationToken ct)
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand("DELETE FROM idempotency_keys WHERE created_at < now() - $1", connection);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = age });
        return await command.ExecuteNonQueryAsync(ct);
    }

    static readonly string HelpfulSql = $"""
        WITH changed AS (
            -- Stops at the column's largest value (2^31 - 1) rather than fail the vote.
            UPDATE reviews SET helpfulness = helpfulness + (helpfulness < 2147483647)::int WHERE id = $1 RETURNING product_id
        ), event AS (
            -- One event a vote (not batched): a receiver counts them as they come.
            {WebhookEvents.Insert(WebhookEvents.Helpful, "(SELECT product_id, $1::bigint AS review_id FROM changed) AS e")}
        )
        SELECT product_id FROM changed
        """;

    /// <summary>Adds one to a review's helpfulness; returns its product, or null when there is no such review.</summary>
    public Task<long?> MarkHelpfulAsync(long reviewId, CancellationToken ct) => ProductOfChangedReview(HelpfulSql, reviewId, ct);

    Task<long?> ProductOfChangedReview(string sql, long reviewId, CancellationToken ct) => gate.RunAsync(async () =>
    {
        await using var connection = await connections.OpenPrimaryAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reviewId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(0) : (long?)null;
    });

    // Flags the review once (a second report finds it flagged and changes nothing) and, in the same
    // statement, takes it out of the aggregates. The final SELECT sees the table as it was before.
    static readonly string ReportSql = $"""
        WITH flagged AS (
            UPDATE reviews SET reported = true, state = 'reported', state_since = now()
            WHERE id = $1 AND NOT reported
            RETURNING product_id, rating, recommend
        ), product_totals AS (
            UPDATE product_stats AS s
            SET rating_1 = s.rating_1 - (f.rating = 1)::int, rating_2 = s.rating_2 - (f.rating = 2)::int,
                rating_3 = s.rating_3 - (f.rating = 3)::int, rating_4 = s.rating_4 - (f.rating = 4)::int,
                rating_5 = s.rating_5 - (f.rating = 5)::int,
                recommended_false = s.recommended_false - (NOT f.recommend)::int,
                recommended_true = s.recommended_true - f.recommend::int
            FROM flagged AS f
            WHERE s.product_id = f.product_id
            RETURNING 1
        ), characteristic_totals AS (
            -- After the product's totals (it reads product_totals): the lock order of a POST.
            UPDATE characteristic_stats AS s
            SET ratings_sum = s.ratings_sum - t.total, ratings_count = s.ratings_count - t.n
            FROM (SELECT characteristic_id, sum(value) AS total, count(*) AS n
                  FROM characteristic_reviews WHERE review_id = $1
                  GROUP BY characteristic_id) AS t, product_totals
            WHERE s.characteristic_id = t.characteristic_id
        ), event AS (
            {WebhookEvents.Insert(WebhookEvents.Reported, "(SELECT product_id, $1::bigint AS review_id FROM flagged) AS e")}
        )
        SELECT product_id FROM reviews WHERE id = $1
        """;

    /// <summary>Marks a review reported (idempotent); returns its product, or null when there is no such review.</summary>
    public Task<long?> ReportAsync(long reviewId, CancellationToken ct) => ProductOfChangedReview(ReportSql, reviewId, ct);
}
