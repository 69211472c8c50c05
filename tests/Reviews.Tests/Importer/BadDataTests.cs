using System.Text;
using Reviews.LegacyCsv;

namespace Reviews.Tests.Importer;

/// <summary>
/// The importer meets each kind of bad row with a decision it reports (file, line, id, reason), never a
/// crash or silent loss; a bad file fails the whole import and leaves the database as it was.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class BadDataTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    static readonly string Contract = PostgresFixture.DataPath("contract");

    [Fact]
    public async Task Each_kind_of_bad_row_is_rejected_with_its_reason_and_every_other_row_loads()
    {
        using var data = new DataSetCopy(Contract);
        // Lines 12… of reviews.csv (header, then 9 reviews on 10 lines: review 2 spans two).
        data.Append(LegacyFile.Reviews.Name, string.Join("\n",
            "20,1,7,1596080481467,\"s\",\"b\",true,false,\"n\",\"e@x.io\",null,0",          // 12 rating 7
            "21,1,5,not-a-date,\"s\",\"b\",true,false,\"n\",\"e@x.io\",null,0",              // 13 date
            "22,1,5,1596080481467,\"s\",\"b\",true,false,\"n\",\"e@x.io\",null,-1",          // 14 helpfulness
            "23,x,5,1596080481467,\"s\",\"b\",true,false,\"n\",\"e@x.io\",null,0",           // 15 text for a number
            "24,1,5,1596080481467,\"s\",\"b\",true,false,\"n\",\"e@x.io\",null",             // 16 a field short
            "1,1,5,1596080481467,\"dup\",\"b\",true,false,\"n\",\"e@x.io\",null,0",          // 17 duplicate id
            "25,1,5,1596080481467,\"s\",\"b\",yes,false,\"n\",\"e@x.io\",null,0",            // 18 recommend
            "26,1,0,1596080481467,\"s\",\"b\",true,false,\"n\",\"e@x.io\",null,0",           // 19 rating 0
            "27,1,5,1596080481467,\"s\",null,true,false,\"n\",\"e@x.io\",null,0",            // 20 body null
            "28,1,5,1596080481467,\"s\",\"a\u0001b\",true,false,\"n\",\"e@x.io\",null,0",     // 21 a control character
            ""));
        data.Append(LegacyFile.Photos.Name, string.Join("\n",
            "10,999,\"https://x.example/orphan.jpg\"",   // 6 no such review
            "11,20,\"https://x.example/of-bad.jpg\"",    // 7 review 20 was rejected
            "3,1,\"https://x.example/dup.jpg\"",         // 8 duplicate id
            ""));
        data.Append(LegacyFile.Ratings.Name, string.Join("\n",
            "20,999,1,3",   // 10 no such characteristic
            "21,3,1,3",     // 11 characteristic 3 is product 2's, review 1 is product 1's
            "22,1,1,6",     // 12 value 6
            "23,1,999,3",   // 13 no such review
            "24,1,22,3",    // 14 review 22 was rejected
            "1,2,2,3",      // 15 duplicate id
            ""));

        var database = await NewEmptyDatabaseAsync();
        var (result, rejects) = await CommandLine.ImportAsync(data.Directory, database);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(new[]
        {
            "reviews.csv,12,20,bad_rating", "reviews.csv,13,21,bad_date", "reviews.csv,14,22,bad_helpfulness",
            "reviews.csv,15,23,bad_product_id", "reviews.csv,16,24,field_count", "reviews.csv,17,1,duplicate_id",
            "reviews.csv,18,25,bad_recommend", "reviews.csv,19,26,bad_rating", "reviews.csv,20,27,bad_body", "reviews.csv,21,28,bad_body",
            "reviews_photos.csv,6,10,missing_review", "reviews_photos.csv,7,11,missing_review", "reviews_photos.csv,8,3,duplicate_id",
            "characteristic_reviews.csv,10,20,missing_characteristic", "characteristic_reviews.csv,11,21,product_mismatch",
            "characteristic_reviews.csv,12,22,bad_value", "characteristic_reviews.csv,13,23,missing_review",
            "characteristic_reviews.csv,14,24,missing_review", "characteristic_reviews.csv,15,1,duplicate_id",
        }, rejects.Select(r => string.Join(',', r[..4])));
        Assert.All(rejects, r => Assert.False(string.IsNullOrWhiteSpace(r[4])));
        Assert.Contains("19 rows were not loaded", result.Output);
        Assert.Matches(@"reviews\.csv\s+19\s+9\s+10\s+bad_body 2, bad_date 1, bad_helpfulness 1, bad_product_id 1, bad_rating 2, bad_recommend 1, duplicate_id 1, field_count 1", result.Output);

        // Every good row is in, the first of two duplicates stands, and the aggregates are exact.
        Assert.Equal(9, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
        Assert.Equal("Great, really", await PostgresFixture.ScalarAsync<string>(database, "SELECT summary FROM reviews WHERE id = 1"));
        Assert.Equal(4, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM photos"));
        Assert.Equal(8, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM characteristic_reviews"));
        await AggregateAssert.MatchRecountAsync(database);
    }

    [Fact]
    public async Task A_byte_order_mark_and_crlf_line_ends_load_and_text_survives_byte_for_byte()
    {
        using var data = new DataSetCopy(Contract);
        foreach (var file in Directory.GetFiles(data.Directory))
        {
            var text = File.ReadAllText(file).Replace("\n", "\r\n");
            File.WriteAllText(file, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        }
        var database = await NewEmptyDatabaseAsync();
        var (result, rejects) = await CommandLine.ImportAsync(data.Directory, database);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(rejects);
        Assert.Equal(9, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
        Assert.Equal("Ünïcödé 👍 text", await PostgresFixture.ScalarAsync<string>(database, "SELECT body FROM reviews WHERE id = 5"));
        Assert.Equal("A line\r\nthat breaks", await PostgresFixture.ScalarAsync<string>(database, "SELECT body FROM reviews WHERE id = 2"));
        Assert.Equal(8, await PostgresFixture.ScalarAsync<int>(database, "SELECT helpfulness FROM reviews WHERE id = 9"));
    }

    [Fact]
    public async Task A_truncated_file_loses_only_its_cut_row_and_says_so()
    {
        using var data = new DataSetCopy(Contract);
        var path = data.PathOf(LegacyFile.Reviews.Name);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.LastIndexOf("\"n3\"", StringComparison.Ordinal) + 2)]); // cut inside a quoted field

        var database = await NewEmptyDatabaseAsync();
        var (result, rejects) = await CommandLine.ImportAsync(data.Directory, database);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([LegacyFile.Reviews.Name, "11", "8", RejectReason.UnterminatedQuote], rejects.Single(r => r[0] == LegacyFile.Reviews.Name)[..4]);
        Assert.Equal(8, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
        // Review 8 is gone, so its rating is rejected too rather than left pointing at nothing.
        Assert.Equal([LegacyFile.Ratings.Name, "9", "8", RejectReason.MissingReview], rejects.Single(r => r[0] == LegacyFile.Ratings.Name)[..4]);
    }

    [Fact]
    public async Task A_row_cut_between_fields_is_a_field_count_reject()
    {
        using var data = new DataSetCopy(Contract);
        data.Append(LegacyFile.Ratings.Name, "9,1,1");
        var database = await NewEmptyDatabaseAsync();
        var (result, rejects) = await CommandLine.ImportAsync(data.Directory, database);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal([LegacyFile.Ratings.Name, "10", "9", RejectReason.FieldCount], rejects.Single()[..4]);
    }

    public static TheoryData<string, string, string, string> BrokenFiles() => new()
    {
        { LegacyFile.Reviews.Name, LegacyFile.Reviews.Header, "id,product,rating", "header" },
        { LegacyFile.Ratings.Name, LegacyFile.Ratings.Header, "id;characteristic_id;review_id;value", "header" },
        { LegacyFile.Photos.Name, LegacyFile.Photos.Header, "", "header" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task A_wrong_header_fails_with_exit_1_and_changes_nothing(string file, string header, string replacement, string word)
    {
        var database = await SeededWithOtherData();
        var before = await PostgresFixture.SnapshotAsync(database);
        using var data = new DataSetCopy(Contract);
        data.Replace(file, header, replacement);

        var (result, _) = await CommandLine.ImportAsync(data.Directory, database, "--replace");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(file, result.Error);
        Assert.Contains(word, result.Error);
        Assert.Equal(before, await PostgresFixture.SnapshotAsync(database));
        Assert.False(await PostgresFixture.ScalarAsync<bool>(database, "SELECT to_regnamespace('reviews_import') IS NOT NULL"));
    }

    [Fact]
    public async Task Invalid_utf8_fails_with_exit_1_naming_the_file_and_changes_nothing()
    {
        var database = await NewEmptyDatabaseAsync();
        using var data = new DataSetCopy(Contract);
        var bytes = File.ReadAllBytes(data.PathOf(LegacyFile.Characteristics.Name)).Concat(new byte[] { 0x35, 0x2C, 0x31, 0x2C, 0x22, 0xFF, 0xFE, 0x22, 0x0A }).ToArray();
        File.WriteAllBytes(data.PathOf(LegacyFile.Characteristics.Name), bytes);

        var (result, _) = await CommandLine.ImportAsync(data.Directory, database);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("characteristics.csv is not valid UTF-8", result.Error);
        Assert.False(await PostgresFixture.ScalarAsync<bool>(database, "SELECT to_regclass('reviews.reviews') IS NOT NULL"));
    }

    [Fact]
    public async Task A_missing_file_or_folder_fails_with_exit_1_naming_it()
    {
        var database = await NewEmptyDatabaseAsync();
        using var data = new DataSetCopy(Contract);
        File.Delete(data.PathOf(LegacyFile.Photos.Name));
        var (result, _) = await CommandLine.ImportAsync(data.Directory, database);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(LegacyFile.Photos.Name, result.Error);

        var (missing, _) = await CommandLine.ImportAsync("/nonexistent/folder", database);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("/nonexistent/folder", missing.Error);
    }

    [Fact]
    public async Task Importing_into_loaded_data_is_refused_unless_replace_which_swaps_in_the_new_set()
    {
        var database = await SeededWithOtherData();
        var before = await PostgresFixture.SnapshotAsync(database);

        var (refused, _) = await CommandLine.ImportAsync(Contract, database);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already holds 1 reviews", refused.Error);
        Assert.Contains("--replace", refused.Error);
        Assert.Equal(before, await PostgresFixture.SnapshotAsync(database));

        var (replaced, _) = await CommandLine.ImportAsync(Contract, database, "--replace");
        Assert.Equal(0, replaced.ExitCode);
        Assert.Equal(9, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
        Assert.Equal("Great, really", await PostgresFixture.ScalarAsync<string>(database, "SELECT summary FROM reviews WHERE id = 1"));
    }

    /// <summary>A database holding one review unlike the contract set's, to show what a failed import leaves.</summary>
    async Task<string> SeededWithOtherData()
    {
        var database = await NewEmptyDatabaseAsync();
        using var data = new DataSetCopy(Contract);
        File.WriteAllText(data.PathOf(LegacyFile.Reviews.Name), """
            id,product_id,rating,date,summary,body,recommend,reported,reviewer_name,reviewer_email,response,helpfulness
            1,42,3,1596080481467,"Old data","Still here",true,false,"keeper","k@example.com",null,1

            """);
        foreach (var file in new[] { LegacyFile.Photos.Name, LegacyFile.Ratings.Name })
            File.WriteAllText(data.PathOf(file), File.ReadLines(data.PathOf(file)).First() + "\n");
        var (result, _) = await CommandLine.ImportAsync(data.Directory, database);
        Assert.Equal(0, result.ExitCode);
        return database;
    }
}
