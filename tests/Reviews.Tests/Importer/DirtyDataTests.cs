using Reviews.Generator;
using Reviews.Store;
using Reviews.LegacyCsv;

namespace Reviews.Tests.Importer;

/// <summary>
/// A generated set with every kind of bad row of the data spec mixed in: the importer rejects exactly the
/// rows the generator's manifest lists, with the manifest's reasons, and loads every other row byte for byte.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class DirtyDataTests(PostgresFixture postgres) : DatabaseTest(postgres), IDisposable
{
    readonly string root = TempFiles.Path("dirty");

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly (string Table, string File)[] Tables =
    [
        ("reviews", LegacyFile.Reviews.Name), ("photos", LegacyFile.Photos.Name),
        ("characteristics", LegacyFile.Characteristics.Name), ("characteristic_reviews", LegacyFile.Ratings.Name),
    ];

    [Fact]
    public async Task Exactly_the_manifest_is_rejected_and_every_other_row_loads_byte_for_byte()
    {
        var plan = GeneratorPlan.Scaled(4_000);
        string clean = Path.Combine(root, "clean"), dirty = Path.Combine(root, "dirty");
        new DataGenerator(plan, seed: 21).Write(clean);
        var counts = new DataGenerator(plan, seed: 21, dirtyRate: 0.01).Write(dirty);

        var cleanDb = await NewEmptyDatabaseAsync();
        Assert.Equal(0, (await CommandLine.ImportAsync(clean, cleanDb)).Result.ExitCode);
        var dirtyDb = await NewEmptyDatabaseAsync();
        var (result, rejects) = await CommandLine.ImportAsync(dirty, dirtyDb);

        Assert.Equal(2, result.ExitCode);
        var manifest = File.ReadAllLines(Path.Combine(dirty, DataGenerator.ManifestFile)).Skip(1).ToArray();
        Assert.Equal(counts.Spoiled, manifest.Length);
        Assert.Equal(manifest.Order(), rejects.Select(r => string.Join(',', r[..4])).Order());
        var reasons = manifest.Select(m => m.Split(',')[3]).ToHashSet();
        Assert.Superset(reasons, new HashSet<string>
        {
            RejectReason.FieldCount, RejectReason.UnterminatedQuote, RejectReason.Bad("product_id"), RejectReason.Bad("rating"), RejectReason.Bad("date"), RejectReason.Bad("helpfulness"), RejectReason.Bad("recommend"),
            RejectReason.Bad("review_id"), RejectReason.Bad("value"), RejectReason.DuplicateId, RejectReason.MissingReview, RejectReason.MissingCharacteristic, RejectReason.ProductMismatch,
        });

        // Each table of the dirty import is the clean one less exactly the rejected ids, the rest identical.
        foreach (var (table, file) in Tables)
        {
            var rejected = manifest.Select(m => m.Split(','))
                .Where(m => m[0] == file && m[3] != RejectReason.DuplicateId) // a duplicate is an extra copy; its first stands
                .Select(m => long.Parse(m[2])).ToHashSet();
            var expected = (await Rows(cleanDb, table)).Where(r => !rejected.Contains(r.Key)).ToDictionary();
            var actual = await Rows(dirtyDb, table);
            Assert.True(expected.Count == actual.Count, $"{table}: {actual.Count} rows, expected {expected.Count}");
            Assert.All(actual, row => Assert.Equal(expected[row.Key], row.Value));
        }
        await AggregateAssert.MatchRecountAsync(dirtyDb);
    }

    static async Task<Dictionary<long, string>> Rows(string connectionString, string table)
    {
        await using var dataSource = Database.CreateDataSource(connectionString);
        await using var command = dataSource.CreateCommand($"SELECT id, md5(t::text) FROM {table} AS t");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<long, string>();
        while (await reader.ReadAsync())
            rows[reader.GetInt64(0)] = reader.GetString(1);
        return rows;
    }
}
