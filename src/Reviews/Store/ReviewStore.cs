using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Reviews.Store;

/// <summary>
/// Every query the API runs. Each request is one statement (one round trip, one transaction). Writes go to the
/// primary. Reads go to a standby when the connection string names several hosts (Npgsql's prefer-standby), and
/// count only if the standby had replayed what the caller requires (<see cref="ChangePositions"/>); else, and with
/// no standby up, to the primary.
/// </summary>
public sealed class ReviewStore([FromKeyedServices(Database.Primary)] NpgsqlDataSource primary,
    [FromKeyedServices(Database.Reads)] NpgsqlDataSource reads)
{
    // Writes may hold at most half the pool: writes queued behind a locked row (each until lock_timeout) must
    // not leave reads without a connection. A write that finds no room within a second is told the database is busy.
    readonly SemaphoreSlim writers = new(Math.Max(1, new NpgsqlConnectionStringBuilder(primary.ConnectionString).MaxPoolSize / 2));
    static readonly TimeSpan WriterWait = TimeSpan.FromSeconds(1);

    // Reads first ask a standby how far it has replayed (one more statement in the same round trip): only when
    // there may be standbys.
    readonly bool standbys = Database.HasStandbys(new NpgsqlConnectionStringBuilder(reads.ConnectionString));

    /// <summary>
    /// The time each statement waited for its connection: a pooled one at once, else until one is returned or a new
    /// one is opened. (Npgsql counts the requests waiting, not how long they wait.)
    /// </summary>
    public event Action<TimeSpan>? ConnectionWaited;

    /// <summary>Raised when a standby's answer was refused for not having replayed what the read required.</summary>
    public event Action? StandbyBehind;

    async ValueTask<NpgsqlConnection> OpenAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var connection = await source.OpenConnectionAsync(ct);
        ConnectionWaited?.Invoke(Stopwatch.GetElapsedTime(started));
        return connection;
    }

    ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => OpenAsync(primary, ct);

    /// <summary>
    /// Runs a read's statements (each with the product id as $1, then <paramref name="parameters"/>) as one batch on a
    /// standby that has replayed <paramref name="required"/>, else on the primary, and reads the results.
    /// </summary>
    async Task<T> ReadAsync<T>(NpgsqlLogSequenceNumber required, string[] statements, Action<NpgsqlParameterCollection> parameters,
        Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct)
    {
        var onStandby = standbys && required != ChangePositions.Primary;
        while (true)
        {
            try
            {
                var (current, value) = await ReadOnceAsync(onStandby, required, statements, parameters, read, ct);
                if (current)
                    return value!;
                StandbyBehind?.Invoke();
            }
            catch (NpgsqlException e) when (onStandby && e.IsTransient && !ct.IsCancellationRequested)
            {
                // A standby that went away under a pooled connection: a read changes nothing, so it goes to the primary.
            }
            onStandby = false;
        }
    }

    /// <summary>The read's value, unless it ran on a standby that had not replayed <paramref name="required"/>.</summary>
    async Task<(bool Current, T? Value)> ReadOnceAsync<T>(bool onStandby, NpgsqlLogSequenceNumber required, string[] statements,
        Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await OpenAsync(onStandby ? reads : primary, ct);
        await using var batch = new NpgsqlBatch(connection);
        if (onStandby)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_last_wal_replay_lsn()")); // null on a primary
        foreach (var sql in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            parameters(command.Parameters);
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (onStandby)
        {
            await reader.ReadAsync(ct);
            var replayed = reader.IsDBNull(0) ? (NpgsqlLogSequenceNumber?)null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(0);
            if (replayed < required)
                return (false, default);
            await reader.NextResultAsync(ct);
        }
        return (true, await read(reader));
    }

    // One query per sort order; ties always broken by id so that pages are stable.
    static readonly Dictionary<ReviewSort, string> ListSql = new()
    {
        [ReviewSort.Relevant] = ListQuery("helpfulness DESC", "date DESC", "id DESC"),
        [ReviewSort.Newest] = ListQuery("date DESC", "id DESC"),
        [ReviewSort.Helpful] = ListQuery("helpfulness DESC", "id DESC"),
    };

    // The page is cut first, then joined to its reviews' photos: one row per photo (a review without one: a row of
    // nulls), in page order then photo id. (A LATERAL array_agg per review gave the same answer at 19,200 queries/s
    // to this join's 24,200: pgbench, 8 clients, docs/read-path.md.)
    static string ListQuery(params string[] order) => $"""
        SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.date, r.reviewer_name, r.helpfulness,
               p.id, p.url
        FROM (SELECT * FROM reviews
              WHERE product_id = $1 AND NOT reported
              ORDER BY {string.Join(", ", order)}
              LIMIT $2 OFFSET $3) AS r
        LEFT JOIN photos AS p ON p.review_id = r.id
        ORDER BY {string.Join(", ", order.Select(column => "r." + column))}, p.id
        """;

    /// <summary>A page of the product's reviews, from a server that has replayed <paramref name="required"/>.</summary>
    public Task<List<StoredReview>> ListAsync(long productId, ReviewSort sort, int page, int count, NpgsqlLogSequenceNumber required,
        CancellationToken ct) => ReadAsync(required, [ListSql[sort]], p =>
        {
            p.Add(new NpgsqlParameter<long> { TypedValue = productId });
            p.Add(new NpgsqlParameter<int> { TypedValue = count });
            p.Add(new NpgsqlParameter<long> { TypedValue = (long)(page - 1) * count });
        }, async reader =>
        {
            var results = new List<StoredReview>(Math.Min(count, 64));
            var photos = new List<StoredPhoto>();
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                if (results.Count == 0 || results[^1].Id != id) // else the same review's next photo
                {
                    Close(results, photos);
                    results.Add(new StoredReview(
                        Id: id,
                        Rating: reader.GetInt16(1),
                        Summary: reader.IsDBNull(2) ? null : reader.GetString(2),
                        Recommend: reader.GetBoolean(3),
                        Response: reader.IsDBNull(4) ? null : reader.GetString(4),
                        Body: reader.GetString(5),
                        Date: reader.GetDateTime(6),
                        ReviewerName: reader.GetString(7),
                        Helpfulness: reader.GetInt32(8),
                        Photos: []));
                }
                if (!reader.IsDBNull(9))
                    photos.Add(new StoredPhoto(reader.GetInt64(9), reader.GetString(10)));
            }
            Close(results, photos);
            return results;
        }, ct);

    /// <summary>Gives the last review read the photos read with it.</summary>
    static void Close(List<StoredReview> results, List<StoredPhoto> photos)
    {
        if (photos.Count == 0)
            return;
        results[^1] = results[^1] with { Photos = [.. photos] };
        photos.Clear();
    }

    const string ProductStatsSql = """
        SELECT rating_1, rating_2, rating_3, rating_4, rating_5, recommended_false, recommended_true
        FROM product_stats WHERE product_id = $1
        """;

    const string CharacteristicStatsSql = """
        SELECT c.id, c.name, s.ratings_sum, s.ratings_count
        FROM characteristics AS c
        LEFT JOIN characteristic_stats AS s ON s.characteristic_id = c.id
        WHERE c.product_id = $1
        ORDER BY c.id
        """;

    /// <summary>
    /// Reads the kept aggregates: two keyed lookups sent as one batch, to a server that has replayed
    /// <paramref name="required"/>.
    /// </summary>
    public Task<ProductTotals> TotalsAsync(long productId, NpgsqlLogSequenceNumber required, CancellationToken ct) =>
        ReadAsync(required, [ProductStatsSql, CharacteristicStatsSql], p => p.Add(new NpgsqlParameter<long> { TypedValue = productId }), async reader =>
        {
            var ratings = new long[5];
            long notRecommended = 0, recommended = 0;
            var characteristics = new List<CharacteristicTotals>();
            if (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < ratings.Length; i++)
                    ratings[i] = reader.GetInt64(i);
                notRecommended = reader.GetInt64(5);
                recommended = reader.GetInt64(6);
            }
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                characteristics.Add(new CharacteristicTotals(reader.GetInt64(0), reader.GetString(1),
                    Sum: reader.IsDBNull(2) ? 0 : reader.GetInt64(2), Count: reader.IsDBNull(3) ? 0 : reader.GetInt64(3)));
            return new ProductTotals(ratings, notRecommended, recommended, characteristics);
        }, ct);

    /// <summary>The ids of the product's characteristics, to check a new review's ratings against.</summary>
    public async Task<HashSet<long>> CharacteristicIdsAsync(long productId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
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
    const string AddSql = """
        WITH review AS (
            INSERT INTO reviews (product_id, rating, date, summary, body, recommend, reviewer_name, reviewer_email)
            VALUES ($1, $2, date_trunc('milliseconds', now()), $3, $4, $5, $6, $7)
            RETURNING id
        ), new_photos AS (
            INSERT INTO photos (review_id, url)
            SELECT review.id, u.url FROM review, unnest($8::text[]) WITH ORDINALITY AS u(url, n) ORDER BY u.n
        ), new_ratings AS (
            INSERT INTO characteristic_reviews (characteristic_id, review_id, value)
            SELECT t.id, review.id, t.value FROM review, unnest($9::bigint[], $10::smallint[]) AS t(id, value)
        ), product_totals AS (
            INSERT INTO product_stats AS s
                (product_id, rating_1, rating_2, rating_3, rating_4, rating_5, recommended_false, recommended_true)
            VALUES ($1, ($2 = 1)::int, ($2 = 2)::int, ($2 = 3)::int, ($2 = 4)::int, ($2 = 5)::int,
                    (NOT $5)::int, $5::int)
            ON CONFLICT (product_id) DO UPDATE
            SET rating_1 = s.rating_1 + excluded.rating_1, rating_2 = s.rating_2 + excluded.rating_2,
                rating_3 = s.rating_3 + excluded.rating_3, rating_4 = s.rating_4 + excluded.rating_4,
                rating_5 = s.rating_5 + excluded.rating_5,
                recommended_false = s.recommended_false + excluded.recommended_false,
                recommended_true = s.recommended_true + excluded.recommended_true
            RETURNING 1
        ), idempotency_key AS (
            -- A second request with this key fails here on the primary key, and its review is rolled back with it.
            INSERT INTO idempotency_keys (key, request, review_id)
            SELECT $11, $12, review.id FROM review WHERE $11 IS NOT NULL
        ), characteristic_totals AS (
            INSERT INTO characteristic_stats AS s (characteristic_id, ratings_sum, ratings_count)
            SELECT t.id, t.value, 1 FROM product_totals, unnest($9::bigint[], $10::smallint[]) AS t(id, value)
            ORDER BY t.id
            ON CONFLICT (characteristic_id) DO UPDATE
            SET ratings_sum = s.ratings_sum + excluded.ratings_sum, ratings_count = s.ratings_count + 1
        )
        SELECT id FROM review
        """;

    /// <summary>
    /// Inserts the review; returns its id. With a key: null when the key is already taken (see
    /// <see cref="FindKeyedAsync"/>), and nothing is inserted.
    /// </summary>
    public Task<long?> AddAsync(NewReview review, IdempotencyKey? key, CancellationToken ct) => OnceMoreIfConflicted(async () =>
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(AddSql, connection);
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
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT review_id, request FROM idempotency_keys WHERE key = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new KeyedReview(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    /// <summary>Forgets the idempotency keys older than <paramref name="age"/>; returns how many.</summary>
    public async Task<int> ForgetKeysOlderThanAsync(TimeSpan age, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("DELETE FROM idempotency_keys WHERE created_at < now() - $1", connection);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = age });
        return await command.ExecuteNonQueryAsync(ct);
    }

    const string HelpfulSql = """
        WITH changed AS (
            -- Stops at the column's largest value (2^31 - 1) rather than fail the vote.
            UPDATE reviews SET helpfulness = helpfulness + (helpfulness < 2147483647)::int WHERE id = $1 RETURNING product_id
        )
        SELECT product_id FROM changed
        """;

    /// <summary>Adds one to a review's helpfulness; returns its product, or null when there is no such review.</summary>
    public Task<long?> MarkHelpfulAsync(long reviewId, CancellationToken ct) => ProductOfChangedReview(HelpfulSql, reviewId, ct);

    Task<long?> ProductOfChangedReview(string sql, long reviewId, CancellationToken ct) => OnceMoreIfConflicted(async () =>
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reviewId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(0) : (long?)null;
    });

    /// <summary>
    /// Runs a write within the writers' share of the pool. One that PostgreSQL aborted for a deadlock or a
    /// serialization failure changed nothing (each is one statement, so one transaction): it runs once more before
    /// the failure reaches the client.
    /// </summary>
    async Task<T> OnceMoreIfConflicted<T>(Func<Task<T>> write)
    {
        if (!await writers.WaitAsync(WriterWait))
            throw new DatabaseBusyException("Every connection writes may use is taken by a write waiting for a lock.");
        try
        {
            return await write();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            return await write();
        }
        finally
        {
            writers.Release();
        }
    }

    // Flags the review once (a second report finds it flagged and changes nothing) and, in the same
    // statement, takes it out of the aggregates. The final SELECT sees the table as it was before.
    const string ReportSql = """
        WITH flagged AS (
            UPDATE reviews SET reported = true
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
        )
        SELECT product_id FROM reviews WHERE id = $1
        """;

    /// <summary>Marks a review reported (idempotent); returns its product, or null when there is no such review.</summary>
    public Task<long?> ReportAsync(long reviewId, CancellationToken ct) => ProductOfChangedReview(ReportSql, reviewId, ct);
}
