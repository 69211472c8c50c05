using System.Diagnostics;
using Npgsql;
using Reviews.Store;

namespace Reviews.Importer;

public sealed record ImportOptions(string Directory, string RejectsPath, bool Replace = false);

public sealed record ImportResult(IReadOnlyDictionary<string, FileCounts> Files, IReadOnlyDictionary<string, double> Phases,
    long Rejected, string RejectsPath);

/// <summary>
/// Loads the four legacy CSV files. Everything happens in one transaction: the files are copied into a
/// fresh staging schema (keys and indexes dropped while loading, rebuilt after), the aggregates computed,
/// and the staging schema renamed over the live one at commit. A running API keeps reading the old data
/// until then, and a failure or a killed process rolls back to exactly what was there before.
/// </summary>
public sealed class CsvImporter(string connectionString, TextWriter log)
{
    public const string StagingSchema = "reviews_import";

    // Held until the import's transaction ends, so that two imports cannot race to swap.
    const long ImportLockKey = 0x5245_5649_4557; // "REVIEW"

    public async Task<ImportResult> RunAsync(ImportOptions options, CancellationToken ct)
    {
        var ids = new LoadedIds();
        var reviews = new ReviewsFile(ids);
        var characteristics = new CharacteristicsFile(ids);
        var photos = new PhotosFile(ids);
        var ratings = new RatingsFile(ids);
        string[] names = [reviews.FileName, characteristics.FileName, photos.FileName, ratings.FileName];
        var missing = names.Where(n => !File.Exists(Path.Combine(options.Directory, n))).ToList();
        if (missing.Count > 0)
            throw new ImportException($"{options.Directory} lacks {string.Join(", ", missing)}: it must hold the four files {string.Join(", ", names)}.");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await Scalar<bool>(connection, $"SELECT pg_try_advisory_xact_lock({ImportLockKey})", ct))
            throw new ImportException("Another import is running against this database; wait for it to finish.");
        if (!options.Replace && await LiveRowCount(connection, ct) is > 0 and var live)
            throw new ImportException($"The database already holds {live} reviews. Importing again would double them: " +
                "pass --replace to load the files into a fresh schema and swap it in when complete.");

        var phases = new Dictionary<string, double>();
        var files = new Dictionary<string, FileCounts>();
        using var rejects = new RejectReport(options.RejectsPath);
        var clock = Stopwatch.StartNew();
        async Task Phase(string name, Func<Task> work)
        {
            log.WriteLine($"{name}…");
            clock.Restart();
            await work();
            phases[name] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        }
        async Task Load<TRow>(ITableFile<TRow> file) => await Phase($"load {file.FileName}", async () =>
        {
            var counts = await FileLoader.LoadAsync(file, Path.Combine(options.Directory, file.FileName), connection, rejects, ct);
            files[file.FileName] = counts;
            log.WriteLine($"  {counts.Loaded:N0} of {counts.Read:N0} rows loaded, {counts.Rejected:N0} rejected");
        });

        List<string> rebuild = [];
        await Phase("prepare", async () =>
        {
            await Execute(connection, $"DROP SCHEMA IF EXISTS {StagingSchema} CASCADE", ct);
            await Migrations.ApplyAsync(connection, StagingSchema, ct, tx);
            await Execute(connection, $"SET LOCAL search_path TO {StagingSchema}", ct);
            rebuild = await DropKeysAndIndexes(connection, ct);
        });
        await Load(reviews);
        await Load(characteristics);
        await Load(photos);
        await Load(ratings);
        await Phase("keys and indexes", async () =>
        {
            foreach (var statement in rebuild)
                await Execute(connection, statement, ct);
        });
        await Phase("aggregates", () => Execute(connection, AggregatesSql, ct));
        await Phase("sequences", () => Execute(connection, SequencesSql, ct));
        await Phase("analyze", () => Execute(connection, "ANALYZE", ct));
        await Phase("swap", async () =>
        {
            if (!options.Replace && await LiveRowCount(connection, ct) is > 0 and var live)
                throw new ImportException($"Reviews ({live}) were written while importing; nothing was changed. Run again with --replace.");
            await Execute(connection, $"DROP SCHEMA IF EXISTS {Database.Schema} CASCADE; ALTER SCHEMA {StagingSchema} RENAME TO {Database.Schema}", ct);
            await tx.CommitAsync(ct);
        });
        return new ImportResult(files, phases, rejects.Count, rejects.Path);
    }

    /// <summary>
    /// Drops the staging tables' keys and secondary indexes (bulk loading into them is slower than building
    /// them once afterwards) and returns the statements that put them back: keys, indexes, then foreign keys.
    /// The migrations stay the one place the schema is written down.
    /// </summary>
    static async Task<List<string>> DropKeysAndIndexes(NpgsqlConnection connection, CancellationToken ct)
    {
        var keys = new List<(string Table, string Name, string Definition, bool Foreign)>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype = 'f'
            FROM pg_constraint AS c
            WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'f')
            ORDER BY c.contype = 'f', c.conname
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));

        var indexes = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand("""
            SELECT i.indexname, i.indexdef FROM pg_indexes AS i
            WHERE i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
            ORDER BY i.indexname
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                indexes.Add((reader.GetString(0), reader.GetString(1)));

        // schema_migrations is written by the migrator, not by COPY: its key stays.
        keys.RemoveAll(k => k.Table == "schema_migrations");
        foreach (var key in keys.OrderByDescending(k => k.Foreign))
            await Execute(connection, $"ALTER TABLE {key.Table} DROP CONSTRAINT {key.Name}", ct);
        foreach (var index in indexes)
            await Execute(connection, $"DROP INDEX {index.Name}", ct);

        return [
            .. keys.Where(k => !k.Foreign).Select(k => $"ALTER TABLE {k.Table} ADD CONSTRAINT {k.Name} {k.Definition}"),
            .. indexes.Select(i => i.Definition),
            .. keys.Where(k => k.Foreign).Select(k => $"ALTER TABLE {k.Table} ADD CONSTRAINT {k.Name} {k.Definition}"),
        ];
    }

    // The aggregates the API keeps up to date, computed once from the loaded rows (reported reviews excluded).
    const string AggregatesSql = """
        INSERT INTO product_stats (product_id, rating_1, rating_2, rating_3, rating_4, rating_5, recommended_false, recommended_true)
        SELECT product_id,
               count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2), count(*) FILTER (WHERE rating = 3),
               count(*) FILTER (WHERE rating = 4), count(*) FILTER (WHERE rating = 5),
               count(*) FILTER (WHERE NOT recommend), count(*) FILTER (WHERE recommend)
        FROM reviews WHERE NOT reported
        GROUP BY product_id;

        INSERT INTO characteristic_stats (characteristic_id, ratings_sum, ratings_count)
        SELECT cr.characteristic_id, sum(cr.value), count(*)
        FROM characteristic_reviews AS cr JOIN reviews AS r ON r.id = cr.review_id
        WHERE NOT r.reported
        GROUP BY cr.characteristic_id;
        """;

    // New rows get ids past the largest loaded one.
    const string SequencesSql = """
        SELECT setval(pg_get_serial_sequence('reviews', 'id'), coalesce((SELECT max(id) FROM reviews), 0) + 1, false);
        SELECT setval(pg_get_serial_sequence('photos', 'id'), coalesce((SELECT max(id) FROM photos), 0) + 1, false);
        SELECT setval(pg_get_serial_sequence('characteristics', 'id'), coalesce((SELECT max(id) FROM characteristics), 0) + 1, false);
        SELECT setval(pg_get_serial_sequence('characteristic_reviews', 'id'), coalesce((SELECT max(id) FROM characteristic_reviews), 0) + 1, false);
        """;

    static async Task<long> LiveRowCount(NpgsqlConnection connection, CancellationToken ct) =>
        await Scalar<bool>(connection, $"SELECT to_regclass('{Database.Schema}.reviews') IS NOT NULL", ct)
            ? await Scalar<long>(connection, $"SELECT count(*) FROM {Database.Schema}.reviews", ct)
            : 0;

    static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
