using Npgsql;

namespace Reviews.Store;

/// <summary>
/// Fills the searched text's tsvector (reviews.search, migration 0005) where it is missing: after an import, which
/// leaves it out (computing it inside the import's one transaction would run on one core and triple its time), and
/// after the migration that added it. Ranges of ids, each its own transaction, on as many connections as cores,
/// while the service serves (a search computes a missing vector as it reads).
/// </summary>
public static class SearchVectors
{
    const int Range = 20_000;

    /// <summary>Fills every missing vector; returns how many rows it filled.</summary>
    public static async Task<long> FillAsync(string connectionString, CancellationToken ct)
    {
        await using var dataSource = Database.CreateDataSource(connectionString);
        long min, max;
        await using (var bounds = dataSource.CreateCommand("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM reviews WHERE search IS NULL"))
        await using (var reader = await bounds.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (min, max) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var starts = new List<long>();
        for (var start = min; start <= max; start += Range)
            starts.Add(start);
        long filled = 0;
        await Parallel.ForEachAsync(starts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (start, token) =>
            {
                // A range (under a second) may wait on a write's row lock past lock_timeout, or (rarely) deadlock with
                // one: it is simply tried again.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await using var fill = dataSource.CreateCommand(
                            $"UPDATE reviews SET search = {ReviewQueries.SearchVector} WHERE id >= $1 AND id < $2 AND search IS NULL");
                        fill.Parameters.Add(new NpgsqlParameter<long> { TypedValue = start });
                        fill.Parameters.Add(new NpgsqlParameter<long> { TypedValue = start + Range });
                        Interlocked.Add(ref filled, await fill.ExecuteNonQueryAsync(token));
                        return;
                    }
                    catch (PostgresException e) when (attempt < 5 && e.SqlState is PostgresErrorCodes.DeadlockDetected
                        or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled)
                    {
                    }
                }
            });
        return filled;
    }
}
