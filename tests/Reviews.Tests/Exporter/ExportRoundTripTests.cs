using Reviews.Generator;
using Reviews.LegacyCsv;

namespace Reviews.Tests.Exporter;

/// <summary>`reviews export`: the legacy files from a database, which `reviews import` turns back into the same tables.</summary>
[Collection(ImportCollection.Name)]
public sealed class ExportRoundTripTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task The_real_sample_comes_back_exactly_and_a_second_export_is_the_same_bytes()
    {
        var source = await NewEmptyDatabaseAsync();
        await CommandLine.ImportAsync(PostgresFixture.DataPath("sample"), source);   // (its 25 orphan photos are rejected)
        // What the sample lacks: a reported review, a missing summary, the text "null", quotes, commas, breaks, emoji.
        await PostgresFixture.ExecuteAsync(source, """
            UPDATE reviews.reviews SET reported = true, state = 'reported' WHERE id = 2;
            UPDATE reviews.reviews SET summary = NULL, response = 'null' WHERE id = 3;
            UPDATE reviews.reviews SET body = 'Says "hi", then,' || E'\r\n' || 'a new line 👍 é' WHERE id = 4;
            UPDATE reviews.reviews SET search = NULL WHERE id IN (3, 4);
            """);
        await Reviews.Store.SearchVectors.FillAsync(source, CancellationToken.None); // (the texts changed behind the API's back)

        var (first, second) = await RoundTripAsync(source);

        foreach (var file in LegacyFile.All)
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file.Name)), File.ReadAllBytes(Path.Combine(second, file.Name)));
        var reviews = File.ReadAllText(Path.Combine(first, LegacyFile.Reviews.Name));
        Assert.StartsWith(LegacyFile.Reviews.Header + "\n1,1,5,1596080481467,", reviews);
        Assert.Contains(",\"Says \"\"hi\"\", then,\r\na new line 👍 é\",", reviews);
        var third = reviews.Split('\n').Single(line => line.StartsWith("3,", StringComparison.Ordinal));
        Assert.Matches(@"^3,\d+,\d,\d+,null,"".*"",(true|false),false,"".*"","".*"",""null"",\d+$", third);
    }

    [Fact]
    public async Task A_generated_set_comes_back_exactly()
    {
        var generated = TempFiles.Path("generated");
        new DataGenerator(400, seed: 5).Write(generated);
        var source = await NewEmptyDatabaseAsync();
        Assert.Equal(0, (await CommandLine.ImportAsync(generated, source)).Result.ExitCode);

        await RoundTripAsync(source);
    }

    [Fact]
    public async Task A_folder_that_holds_the_files_already_is_refused_and_left_alone()
    {
        var source = await NewSeededDatabaseAsync();
        var folder = Directory.CreateDirectory(TempFiles.Path("export")).FullName;
        File.WriteAllText(Path.Combine(folder, LegacyFile.Photos.Name), "mine");

        var result = await CommandLine.RunAsync("export", folder, "--database", source);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("reviews_photos.csv exists already", result.Error);
        Assert.Equal(["reviews_photos.csv"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, LegacyFile.Photos.Name)));
    }

    /// <summary>Exports the database, imports that into a new one (every row loaded) and exports it again: both
    /// databases hold the same rows, and the copy's kept totals are exact. Returns the two export folders.</summary>
    async Task<(string First, string Second)> RoundTripAsync(string source)
    {
        var first = TempFiles.Path("export");
        var exported = await CommandLine.RunAsync("export", first, "--database", source);
        Assert.Equal(0, exported.ExitCode);
        Assert.Contains("Exported to", exported.Output);

        var copy = await NewEmptyDatabaseAsync();
        var (imported, rejects) = await CommandLine.ImportAsync(first, copy);
        Assert.Equal(0, imported.ExitCode);
        Assert.Empty(rejects);
        Assert.Equal(await RowsAsync(source), await RowsAsync(copy));
        await AggregateAssert.MatchRecountAsync(copy);

        var second = TempFiles.Path("export");
        Assert.Equal(0, (await CommandLine.RunAsync("export", second, "--database", copy)).ExitCode);
        return (first, second);
    }

    /// <summary>The four tables' rows, every column, in id order. (The kept totals are not compared: they are derived,
    /// and the sample's source, changed by hand, has totals that do not follow its rows.)</summary>
    static Task<string> RowsAsync(string database) => PostgresFixture.ScalarAsync<string>(database, """
        SELECT concat_ws(E'\n',
            (SELECT string_agg(r::text, E'\n' ORDER BY id) FROM reviews r),
            (SELECT string_agg(p::text, E'\n' ORDER BY id) FROM photos p),
            (SELECT string_agg(c::text, E'\n' ORDER BY id) FROM characteristics c),
            (SELECT string_agg(c::text, E'\n' ORDER BY id) FROM characteristic_reviews c))
        """);
}
