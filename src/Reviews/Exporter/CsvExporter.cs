using System.Data;
using System.Text;
using Npgsql;
using Reviews.LegacyCsv;
using Reviews.Store;

namespace Reviews.Exporter;

/// <summary>
/// Writes the four legacy CSV files (docs/data-format.md) from a database, so that importing them gives back the same
/// tables: every column the importer reads, reported reviews included, all four from one snapshot. PostgreSQL writes
/// the CSV itself (COPY … TO STDOUT), streamed to the files; nothing is held in memory.
/// </summary>
public sealed class CsvExporter(string connectionString)
{
    /// <summary>
    /// Each file's query. The legacy format quotes text always and numbers or true/false never, and writes SQL NULL as
    /// the bare word null: FORCE_QUOTE quotes every non-NULL value of the text columns (so the text "null" comes out
    /// quoted), NULL 'null' writes the marker unquoted. Dates are milliseconds since the epoch, as stored.
    /// </summary>
    static readonly (LegacyFile File, string Table, string Copy)[] Files =
    [
        (LegacyFile.Reviews, "reviews", """
            COPY (SELECT id, product_id, rating, (extract(epoch FROM date) * 1000)::bigint AS date, summary, body,
                         recommend::text AS recommend, reported::text AS reported, reviewer_name, reviewer_email,
                         response, helpfulness
                  FROM reviews ORDER BY id)
            TO STDOUT (FORMAT csv, NULL 'null', FORCE_QUOTE (summary, body, reviewer_name, reviewer_email, response))
            """),
        (LegacyFile.Characteristics, "characteristics", """
            COPY (SELECT id, product_id, name FROM characteristics ORDER BY id)
            TO STDOUT (FORMAT csv, NULL 'null', FORCE_QUOTE (name))
            """),
        (LegacyFile.Photos, "photos", """
            COPY (SELECT id, review_id, url FROM photos ORDER BY id)
            TO STDOUT (FORMAT csv, NULL 'null', FORCE_QUOTE (url))
            """),
        (LegacyFile.Ratings, "characteristic_reviews", """
            COPY (SELECT id, characteristic_id, review_id, value FROM characteristic_reviews ORDER BY id)
            TO STDOUT (FORMAT csv, NULL 'null')
            """),
    ];

    /// <summary>
    /// Writes the four files into <paramref name="directory"/> (made if missing; it must not hold any of them yet):
    /// each is written under a temporary name and renamed when all four are complete, so a failed export leaves none.
    /// </summary>
    public async Task<IReadOnlyList<ExportedFile>> RunAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        foreach (var (file, _, _) in Files)
            if (File.Exists(Path.Combine(directory, file.Name)))
                throw new IOException($"{Path.Combine(directory, file.Name)} exists already: export into a new or empty folder.");

        // (the service's time limits are for requests: a COPY of 19 million rows takes minutes)
        await using var dataSource = Database.CreateDataSource(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One snapshot for all four: no photo or rating points at a review written after reviews.csv was.
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var unlimited = new NpgsqlCommand("SET LOCAL statement_timeout = 0", connection))
            await unlimited.ExecuteNonQueryAsync(ct);
        var written = new List<ExportedFile>();
        var parts = Files.Select(f => Path.Combine(directory, $".{f.File.Name}.part")).ToArray();
        try
        {
            for (var i = 0; i < Files.Length; i++)
                written.Add(await WriteAsync(connection, Files[i], parts[i], ct));
            for (var i = 0; i < Files.Length; i++)
                File.Move(parts[i], Path.Combine(directory, Files[i].File.Name));
            return written;
        }
        finally
        {
            foreach (var part in parts)
                File.Delete(part);
        }
    }

    static async Task<ExportedFile> WriteAsync(NpgsqlConnection connection, (LegacyFile File, string Table, string Copy) file,
        string path, CancellationToken ct)
    {
        await using (var output = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20))
        {
            output.NewLine = "\n";
            await output.WriteLineAsync(file.File.Header.AsMemory(), ct);
            using var rows = await connection.BeginTextExportAsync(file.Copy, ct);
            var buffer = new char[1 << 16];
            int read;
            while ((read = await rows.ReadAsync(buffer.AsMemory(), ct)) > 0)
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        // (counted in the same snapshot, not by parsing the file again: quoted text may hold line breaks)
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {file.Table}", connection);
        return new ExportedFile(file.File, new FileInfo(path).Length, (long)(await count.ExecuteScalarAsync(ct))!);
    }
}
