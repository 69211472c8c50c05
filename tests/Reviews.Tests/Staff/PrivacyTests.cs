using Reviews.Staff;

namespace Reviews.Tests.Staff;

/// <summary>
/// Privacy requests: a reviewer's data read back whole, then erased (totals exact, caches told, the trail keeping a
/// keyed hash and never the address), idempotently; and an import of the legacy files does not bring it back.
/// </summary>
public sealed class PrivacyTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    readonly string privacy = StaffClient.Token(StaffRoles.Privacy);

    [Fact]
    public async Task A_reviewer_gets_everything_then_is_erased_exactly_once_and_no_import_brings_them_back()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);
        // Two more reviews by maya (review 2, product 1): one on product 2 with a photo and a rating, one reported.
        foreach (var (product, characteristics) in new[] { (2, new JsonObject { ["3"] = 2 }), (1, new JsonObject { ["1"] = 4 }) })
        {
            var review = Api.WriteTests.ValidReview();
            review["product_id"] = product;
            review["email"] = "Maya@Example.com";
            review["characteristics"] = characteristics;
            Assert.Equal(HttpStatusCode.Created, (await api.Client.PostAsJsonAsync("/reviews", review)).StatusCode);
        }
        var reported = await PostgresFixture.ScalarAsync<long>(api.ConnectionString, "SELECT max(id) FROM reviews");
        await api.Client.PutAsync($"/reviews/{reported}/report", null);
        var otherMeta = await api.Client.GetStringAsync("/reviews/meta?product_id=3");

        var data = await (await api.SendAsync(HttpMethod.Get, "/privacy/reviews?email=maya@example.com", privacy)).JsonAsync();
        var found = data["reviews"]!.AsArray();
        Assert.Equal(3, found.Count);
        Assert.Equal("Thanks for the feedback!", (string)found[0]!["response"]!);
        Assert.Equal(["https://images.example/1.jpg", "http://images.example/2.jpg"], found[1]!["photos"]!.AsArray().Select(p => (string)p!));
        Assert.Equal("Comfort", (string)found[1]!["characteristics"]![0]!["name"]!);
        Assert.Equal("reported", (string)found[2]!["state"]!);

        var erased = await (await api.SendAsync(HttpMethod.Delete, "/privacy/reviews?email=MAYA@example.com", privacy)).JsonAsync();
        Assert.Equal(3, (int)erased["erased"]!);
        Assert.Empty((await (await api.SendAsync(HttpMethod.Get, "/privacy/reviews?email=maya@example.com", privacy)).JsonAsync())["reviews"]!.AsArray());
        Assert.DoesNotContain("maya", await api.Client.GetStringAsync("/reviews?product_id=1&count=50"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(otherMeta, await api.Client.GetStringAsync("/reviews/meta?product_id=3"));
        await AggregateAssert.MatchRecountAsync(api.ConnectionString);
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(api.ConnectionString,
            "SELECT count(*) FROM reviews WHERE lower(reviewer_email) = 'maya@example.com'"));

        // The trail: one line per review, a keyed hash and never the address.
        var trail = await PostgresFixture.ScalarAsync<string>(api.ConnectionString, "SELECT string_agg(concat_ws(' ', actor, action, review_id, detail), '; ') FROM staff.audit");
        Assert.DoesNotContain("maya", trail, StringComparison.OrdinalIgnoreCase);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Convert.FromBase64String(StaffClient.HashKey), "maya@example.com"u8));
        Assert.Contains($"hmac-sha256:{hash}", trail);
        Assert.Equal(3, await PostgresFixture.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM staff.audit WHERE action = 'erase'"));

        // Idempotent: nothing more to erase.
        var again = await (await api.SendAsync(HttpMethod.Delete, "/privacy/reviews?email=maya@example.com", privacy)).JsonAsync();
        Assert.Equal(0, (int)again["erased"]!);

        // The legacy files (which still hold review 2) imported again: review 2 is refused as erased, and said so.
        var (result, rejects) = await CommandLine.ImportAsync(PostgresFixture.DataPath("contract"), api.ConnectionString, "--replace");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(rejects, r => r[2] == "erased" || r.Contains("erased"));
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM reviews WHERE id = 2"));
        Assert.True(await PostgresFixture.ScalarAsync<long>(api.ConnectionString, "SELECT nextval(pg_get_serial_sequence('reviews', 'id'))") > reported,
            "new reviews are numbered past the erased ones");
        await AggregateAssert.MatchRecountAsync(api.ConnectionString);
        Assert.Equal(4, await PostgresFixture.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM staff.audit"));
    }

    [Theory]
    [InlineData("GET", "/privacy/reviews")]
    [InlineData("GET", "/privacy/reviews?email=")]
    [InlineData("DELETE", "/privacy/reviews?email=a%00b")]
    [InlineData("DELETE", "/privacy/reviews?email=a@b.c&email=d@e.f")]
    public async Task A_missing_or_bad_address_is_a_422_and_erases_nothing(string method, string path)
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);
        var before = await PostgresFixture.SnapshotAsync(api.ConnectionString);
        var response = await api.SendAsync(new HttpMethod(method), path, privacy);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(before, await PostgresFixture.SnapshotAsync(api.ConnectionString));
    }
}
