using Npgsql;
using Reviews.Changes;
using Reviews.LegacyCsv;
using Reviews.Store;

namespace Reviews.Importer;

/// <summary>
/// Loads the four legacy CSV files. Everything happens in one transaction: the files are copied into a
/// fresh staging schema (keys and indexes dropped while loading, rebuilt after), the aggregates computed,
/// and the staging schema renamed over the live one at commit. A running API keeps reading the old data
/// until then, and a failure or a killed process rolls back to exactly what was there before.
/// </summary>
public sealed class CsvImporter(string connectionString, ImportProgress? progress = null)
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
        var names = LegacyFile.All.Select(f => f.Name).ToList();
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
        progress ??= new ImportProgress();
        async Task Phase(string name, Func<ProgressStep, Task> work, long bytes = 0)
        {
            var step = progress.Begin(name, bytes);
            await work(step);
            step.Finish();
            phases[name] = Math.Round(step.Elapsed.TotalSeconds, 3);
        }
        async Task Load<TRow>(ITableFile<TRow> file)
        {
            var path = Path.Combine(options.Directory, file.File.Name);
            await Phase($"load {file.File.Name}", async step =>
                files[file.File.Name] = await FileLoader.LoadAsync(file, path, connection, rejects, step, ct), new FileInfo(path).Length);
        }

        List<(string Phase, List<string> Statements)> rebuild = [];
        await Phase("prepare", async _ =>
        {
            // The staff's records outlive the import; its erasures are never loaded again.
            await Migrations.ApplyAsync(connection, Database.StaffSchema, ct, tx, Migrations.Staff);
            await using (var erased = new NpgsqlCommand($"SELECT review_id FROM {Database.StaffSchema}.erased_reviews", connection))
            await using (var reader = await erased.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                    ids.Erased.Add(reader.GetInt64(0));
            await Execute(connection, $"DROP SCHEMA IF EXISTS {StagingSchema} CASCADE", ct);
            await Migrations.ApplyAsync(connection, StagingSchema, ct, tx);
            await Execute(connection, $"SET LOCAL search_path TO {StagingSchema}", ct);
            // Index builds sort, and foreign-key checks hash-join, millions of rows: in memory, not on disk.
            await Execute(connection, "SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '1GB'", ct);
            rebuild = await DropKeysAndIndexes(connection, ct);
        });
        await Load(reviews);
        await Load(characteristics);
        await Load(photos);
        await Load(ratings);
        await Phase("aggregates", _ => ids.Aggregates.WriteAsync(connection, ct));
        foreach (var (phase, statements) in rebuild)
            await Phase(phase, async _ =>
            {
                foreach (var statement in statements)
                    await Execute(connection, statement, ct);
            });
        await Phase("sequences", _ => Execute(connection, SequencesSql, ct));
        await Phase("analyze", _ => Execute(connection, "ANALYZE", ct));
        await Phase("swap", async _ =>
        {
            if (!options.Replace && await LiveRowCount(connection, ct) is > 0 and var live)
                throw new ImportException($"Reviews ({live}) were written while importing; nothing was changed. Run again with --replace.");
            await Execute(connection, $"DROP SCHEMA IF EXISTS {Database.Schema} CASCADE; ALTER SCHEMA {StagingSchema} RENAME TO {Database.Schema}", ct);
            // Every running instance's cached answers are of the old data: clear them at commit.
            await Execute(connection, $"SELECT pg_notify('{ChangeNotice.Channel}', '{ChangeNotice.Everything}')", ct);
            await tx.CommitAsync(ct);
            // ...and again with the swap's place in the WAL: no instance then takes an answer from a standby that has
            // not replayed it (src/Reviews/Changes/ChangePositions.cs).
            await Execute(connection, ChangeNotice.EverythingChangedSql("import"), ct);
        });
        await Phase("search vectors (live)", _ => SearchVectors.FillAsync(connectionString, ct));
        if (options.ValidateKeys)
            await Phase("validate foreign keys (live)", _ => ValidateForeignKeysAsync(ct));
        return new ImportResult(files, phases, rejects.Count, rejects.Path);
    }

    /// <summary>
    /// Drops the staging tables' keys and secondary indexes (bulk loading into them is slower than building
    /// them once afterwards) and returns the statements that put them back, by phase: primary keys, indexes,
    /// then foreign keys. The migrations stay the one place the schema is written down.
    /// </summary>
    static async Task<List<(string, List<string>)>> DropKeysAndIndexes(NpgsqlConnection connection, CancellationToken ct)
    {
        var keys = new List<(string Table, string Name, string Definition, bool Foreign)>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype = 'f'
            FROM pg_constraint AS c
            WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'f')
              AND c.conrelid <> 'schema_migrations'::regclass -- written by the migrator, not by COPY
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

        foreach (var key in keys.OrderByDescending(k => k.Foreign))
            await Execute(connection, $"ALTER TABLE {key.Table} DROP CONSTRAINT {key.Name}", ct);
        foreach (var index in indexes)
            await Execute(connection, $"DROP INDEX {index.Name}", ct);

        // Foreign keys come back NOT VALID: enforced for every write from the swap on, while the rows loaded
        // here were each checked by the importer (that is how it reports every orphan). Having PostgreSQL
        // check them all again costs a third more time on the full set; --validate-keys does it after the swap.
        static string Add((string Table, string Name, string Definition, bool Foreign) k) =>
            $"ALTER TABLE {k.Table} ADD CONSTRAINT {k.Name} {k.Definition}{(k.Foreign ? " NOT VALID" : "")}";
        return [
            ("primary keys", [.. keys.Where(k => !k.Foreign).Select(Add)]),
            ("indexes", [.. indexes.Select(i => i.Definition)]),
            ("foreign keys", [.. keys.Where(k => k.Foreign).Select(Add)]),
        ];
    }

    /// <summary>
    /// Has PostgreSQL check the loaded rows against the foreign keys, all at once on connections of their own.
    /// The data is already live: VALIDATE CONSTRAINT takes a lock that lets the API read and write meanwhile.
    /// </summary>
    async Task ValidateForeignKeysAsync(CancellationToken ct)
    {
        var pending = new List<(string Table, string Name)>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"""
                SELECT conrelid::regclass::text, conname FROM pg_constraint
                WHERE connamespace = '{Database.Schema}'::regnamespace AND contype = 'f' AND NOT convalidated
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                pending.Add((reader.GetString(0), reader.GetString(1)));
        }
        await Task.WhenAll(pending.Select(async key =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await Execute(connection, $"SET maintenance_work_mem = '1GB'; ALTER TABLE {key.Table} VALIDATE CONSTRAINT {key.Name}", ct);
        }));
    }

    // New rows get ids past the largest loaded one (reviews: and past every erased one, which must stay unused).
    const string SequencesSql = $"""
        SELECT setval(pg_get_serial_sequence('reviews', 'id'),
                      greatest((SELECT max(id) FROM reviews), (SELECT max(review_id) FROM {Database.StaffSchema}.erased_reviews), 0) + 1, false);
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
