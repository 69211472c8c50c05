using nietras.SeparatedValues;
using Reviews.Generator;
using Reviews.LegacyCsv;

namespace Reviews.Tests.Importer;

[Collection(ImportCollection.Name)]
public sealed class GeneratedImportTests(PostgresFixture postgres) : DatabaseTest(postgres), IDisposable
{
    readonly string directory = TempFiles.Path("generated");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_generated_set_loads_whole_with_exact_text_and_aggregates()
    {
        var counts = new DataGenerator(1500, seed: 3).Write(directory);
        var database = await NewEmptyDatabaseAsync();
        var summary = Path.Combine(directory, "summary.json");

        var (result, rejects) = await CommandLine.ImportAsync(directory, database, "--summary", summary);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(rejects);
        Assert.Contains("Every row loaded.", result.Output);
        Assert.Equal(counts.Reviews, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
        Assert.Equal(counts.Photos, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM photos"));
        Assert.Equal(counts.Characteristics, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM characteristics"));
        Assert.Equal(counts.Ratings, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM characteristic_reviews"));
        await AggregateAssert.MatchRecountAsync(database);
        // The loaded table keeps the schema's room for in-place updates (migration 0002).
        Assert.Equal("fillfactor=90", await PostgresFixture.ScalarAsync<string>(database,
            "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'reviews.reviews'::regclass"));

        var json = JsonNode.Parse(File.ReadAllText(summary))!;
        Assert.Equal(counts.Reviews, (long)json["files"]![LegacyFile.Reviews.Name]!["loaded"]!);
        Assert.Equal(counts.Ratings, (long)json["files"]![LegacyFile.Ratings.Name]!["read"]!);
        Assert.Equal(0, (long)json["files"]![LegacyFile.Photos.Name]!["rejected"]!);
        Assert.True(json["phases"]!.AsObject().Count >= 5);

        // Text byte for byte, against the file read by an independent parser.
        using var csv = Sep.Reader(o => o with { Unescape = true }).FromFile(Path.Combine(directory, LegacyFile.Reviews.Name));
        var expected = string.Concat(csv.Enumerate(r => r["summary"].ToString() + "\u0001" + r["body"].ToString() + "\u0001"
            + r["reviewer_name"].ToString() + "\u0001" + r["reviewer_email"].ToString() + "\u0002"));
        var actual = await PostgresFixture.ScalarAsync<string>(database,
            "SELECT string_agg(summary || E'\\x01' || body || E'\\x01' || reviewer_name || E'\\x01' || reviewer_email, E'\\x02' ORDER BY id) || E'\\x02' FROM reviews");
        Assert.Equal(expected, actual);

        // The meta of every product with reviews: PostgreSQL's avg() over non-reported reviews, at the
        // contract's 16 decimals (raw avg() text has 20 when sum and count share a leading digit, e.g. all ratings 1).
        await using var api = await ApiServer.StartAsync(database);
        var products = await PostgresFixture.ScalarAsync<long[]>(database,
            "SELECT array_agg(DISTINCT product_id) FROM (SELECT product_id FROM reviews ORDER BY product_id LIMIT 400) AS p");
        foreach (var product in products)
        {
            var meta = JsonNode.Parse(await api.Client.GetStringAsync($"/reviews/meta?product_id={product}"))!;
            var averages = await PostgresFixture.ScalarAsync<string>(database, $"""
                SELECT string_agg(c.name || '=' || coalesce(a.value, 'null'), ',' ORDER BY c.id)
                FROM characteristics c
                LEFT JOIN (SELECT cr.characteristic_id, round(avg(cr.value), 16)::text AS value
                           FROM characteristic_reviews cr JOIN reviews r ON r.id = cr.review_id
                           WHERE NOT r.reported GROUP BY 1) a ON a.characteristic_id = c.id
                WHERE c.product_id = {product}
                """);
            Assert.Equal(averages, string.Join(",", meta["characteristics"]!.AsObject()
                .Select(c => $"{c.Key}={(string?)c.Value!["value"] ?? "null"}")));
        }
    }
}
