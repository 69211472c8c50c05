using nietras.SeparatedValues;
using Reviews.LegacyCsv;

namespace Reviews.Tests.Importer;

/// <summary>The real head and tail rows of the legacy files (Data/sample).</summary>
[Collection(ImportCollection.Name)]
public sealed class SampleImportTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    /// <summary>A copy of the real sample kept with the tests (Data/sample; its source: Data/sample/SOURCE.md).</summary>
    static string SampleDirectory() => PostgresFixture.DataPath("sample");

    [Fact]
    public async Task The_real_sample_loads_and_exactly_the_orphan_photos_are_rejected()
    {
        var database = await NewEmptyDatabaseAsync();
        var (result, rejects) = await CommandLine.ImportAsync(SampleDirectory(), database);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("25 rows were not loaded", result.Output);
        // The sample is heads and tails: these photos point at reviews that are not in it.
        long[] orphanPhotos = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, .. Enumerable.Range(2742519, 15).Select(i => (long)i)];
        Assert.Equal(orphanPhotos, rejects.Select(r => long.Parse(r[2])));
        Assert.All(rejects, r => Assert.Equal([LegacyFile.Photos.Name, RejectReason.MissingReview], new[] { r[0], r[3] }));
        Assert.Equal("12", rejects[0][1]); // photo 11 is on line 12: the header is line 1, photos 7 and 8 are swapped
        Assert.Contains("review 17 ", rejects[0][4]);

        Assert.Equal(34, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
        Assert.Equal(40, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM characteristics"));
        Assert.Equal(17, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM photos"));
        Assert.Equal(47, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM characteristic_reviews"));
    }

    [Fact]
    public async Task Nulls_dates_and_text_arrive_exactly()
    {
        var database = await NewEmptyDatabaseAsync();
        await CommandLine.ImportAsync(SampleDirectory(), database);

        Assert.True(await PostgresFixture.ScalarAsync<bool>(database, "SELECT response IS NULL FROM reviews WHERE id = 1"));
        Assert.Equal("Glad you're enjoying the product!", await PostgresFixture.ScalarAsync<string>(database, "SELECT response FROM reviews WHERE id = 3"));
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews WHERE response = 'null'"));

        // Every row's date to the millisecond, and its text, against the file read by an independent parser.
        using var csv = Sep.Reader(o => o with { Unescape = true }).FromFile(Path.Combine(SampleDirectory(), LegacyFile.Reviews.Name));
        var expected = csv.Enumerate(row => (Id: row["id"].Parse<long>(), Date: row["date"].Parse<long>(), Body: row["body"].ToString())).ToList();
        var rows = 0;
        foreach (var (id, date, body) in expected)
        {
            Assert.Equal(date, await PostgresFixture.ScalarAsync<long>(database,
                $"SELECT (extract(epoch FROM date) * 1000)::bigint FROM reviews WHERE id = {id}"));
            Assert.Equal(body, await PostgresFixture.ScalarAsync<string>(database, $"SELECT body FROM reviews WHERE id = {id}"));
            rows++;
        }
        Assert.Equal(34, rows);
        Assert.Equal(new DateTime(2020, 7, 30, 3, 41, 21, 467, DateTimeKind.Utc),
            await PostgresFixture.ScalarAsync<DateTime>(database, "SELECT date FROM reviews WHERE id = 1"));
    }

    [Fact]
    public async Task After_the_import_the_aggregates_match_a_recount_and_a_post_gets_the_next_id()
    {
        var database = await NewEmptyDatabaseAsync();
        await CommandLine.ImportAsync(SampleDirectory(), database);
        await AggregateAssert.MatchRecountAsync(database);

        await using var api = await ApiServer.StartAsync(database);
        var review = Api.WriteTests.ValidReview();
        review["product_id"] = 1000011;
        review["characteristics"] = new JsonObject { ["3347676"] = 2 };
        var response = await api.Client.PostAsJsonAsync("/reviews", review);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(5774953, (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["review_id"]!);

        // The meta's averages are PostgreSQL's avg() text over the ratings of non-reported reviews
        // (review 5774950 of this product is reported in the real data).
        var meta = JsonNode.Parse(await api.Client.GetStringAsync("/reviews/meta?product_id=1000011"))!;
        foreach (var (name, value) in meta["characteristics"]!.AsObject())
        {
            var expected = await PostgresFixture.ScalarAsync<string>(database,
                $"SELECT round(avg(cr.value), 16)::text FROM characteristic_reviews cr JOIN reviews r ON r.id = cr.review_id WHERE NOT r.reported AND cr.characteristic_id = {(long)value!["id"]!}");
            Assert.Equal(expected, (string?)value["value"]);
        }
    }
}
