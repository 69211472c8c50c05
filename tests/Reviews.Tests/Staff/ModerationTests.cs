using Reviews.Staff;

namespace Reviews.Tests.Staff;

/// <summary>
/// The moderation workflow on a real Kestrel and PostgreSQL: the queues, publish and remove moving a review in and out
/// of the list and the meta exactly, the shop's response, the audit trail, and new reviews held for approval.
/// </summary>
public sealed class ModerationTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    readonly string moderator = StaffClient.Token(StaffRoles.Moderator);
    ApiServer api = null!;

    public override async Task InitializeAsync() => api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);

    public override async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await base.DisposeAsync();
    }

    Task<string> Get(string path) => api.Client.GetStringAsync(path);

    async Task<JsonArray> QueueAsync(string state) =>
        (await (await api.SendAsync(HttpMethod.Get, $"/moderation/reviews?state={state}", moderator)).JsonAsync())["results"]!.AsArray();

    async Task Act(string action, long reviewId, HttpStatusCode expected = HttpStatusCode.NoContent) =>
        Assert.Equal(expected, (await api.SendAsync(HttpMethod.Post, $"/moderation/reviews/{reviewId}/{action}", moderator)).StatusCode);

    [Fact]
    public async Task A_reported_review_waits_in_the_queue_and_publishing_restores_it_exactly()
    {
        var list = await Get("/reviews?product_id=2&count=10");
        var meta = await Get("/reviews/meta?product_id=2");
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.PutAsync("/reviews/7/report", null)).StatusCode);
        Assert.DoesNotContain("\"review_id\":7,", await Get("/reviews?product_id=2&count=10"));

        var queued = (await QueueAsync("reported")).Single(r => (long)r!["review_id"]! == 7)!;
        Assert.Equal(2, (long)queued["product_id"]!);
        Assert.Equal("reported", (string)queued["state"]!);
        Assert.NotNull(queued["state_since"]);
        Assert.Equal("n2", (string)queued["reviewer_name"]!);
        // The imported report (review 4) has waited longest: it is first.
        Assert.Equal(4, (long)(await QueueAsync("reported"))[0]!["review_id"]!);

        await Act("publish", 7);
        Assert.Equal(list, await Get("/reviews?product_id=2&count=10"));
        Assert.Equal(meta, await Get("/reviews/meta?product_id=2"));
        Assert.DoesNotContain(await QueueAsync("reported"), r => (long)r!["review_id"]! == 7);
        await AggregateAssert.MatchRecountAsync(api.ConnectionString);
    }

    [Fact]
    public async Task Removing_takes_a_review_out_of_the_list_and_the_meta_and_the_audit_trail_says_who_did_what()
    {
        await Act("remove", 1);
        Assert.DoesNotContain("\"review_id\":1,", await Get("/reviews?product_id=1&count=10"));
        Assert.DoesNotContain("\"5\":\"2\"", await Get("/reviews/meta?product_id=1"));
        Assert.Equal(1, (long)(await QueueAsync("removed")).Single()!["review_id"]!);
        await Act("remove", 1); // again: nothing changes but the trail
        await Act("publish", 1);
        await AggregateAssert.MatchRecountAsync(api.ConnectionString);

        var trail = (await (await api.SendAsync(HttpMethod.Get, "/moderation/audit?review_id=1", moderator)).JsonAsync()).AsArray();
        Assert.Equal(["remove published→removed", "remove removed→removed", "publish removed→published"],
            trail.Select(e => $"{e!["action"]} {e["state_before"]}→{e["state_after"]}"));
        Assert.All(trail, e => Assert.Equal("tester", (string)e!["actor"]!));
        // Append-only, even for the database's own user.
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            PostgresFixture.ScalarAsync<long>(api.ConnectionString, "WITH d AS (DELETE FROM staff.audit RETURNING 1) SELECT count(*) FROM d"));
        Assert.Contains("append-only", error.MessageText);
    }

    [Fact]
    public async Task The_shops_response_shows_in_the_list_is_searched_and_null_clears_it()
    {
        // The response's words are searched (its kept vector rewritten with it), and no longer once it is cleared.
        async Task<bool> SearchFindsIt() => (await Get("/reviews?product_id=2&count=10&q=passed")).Contains("\"review_id\":6,");
        Assert.False(await SearchFindsIt());

        var answer = new JsonObject { ["response"] = "Thank you — we've passed this on.\nThe team" };
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Put, "/moderation/reviews/6/response", moderator, answer)).StatusCode);
        var review = JsonNode.Parse(await Get("/reviews?product_id=2&count=10"))!["results"]!.AsArray().Single(r => (long)r!["review_id"]! == 6)!;
        Assert.Equal("Thank you — we've passed this on.\nThe team", (string)review["response"]!);
        Assert.True(await SearchFindsIt());

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Put, "/moderation/reviews/6/response", moderator,
            new JsonObject { ["response"] = null })).StatusCode);
        review = JsonNode.Parse(await Get("/reviews?product_id=2&count=10"))!["results"]!.AsArray().Single(r => (long)r!["review_id"]! == 6)!;
        Assert.Null(review["response"]);
        Assert.False(await SearchFindsIt());
    }

    [Theory]
    [InlineData("GET", "/moderation/reviews?state=published", null, 422)]
    [InlineData("GET", "/moderation/reviews?count=101", null, 422)]
    [InlineData("GET", "/moderation/reviews?page=0", null, 422)]
    [InlineData("GET", "/moderation/audit?review_id=abc", null, 422)]
    [InlineData("POST", "/moderation/reviews/abc/publish", null, 422)]
    [InlineData("POST", "/moderation/reviews/123456789/remove", null, 404)]
    [InlineData("PUT", "/moderation/reviews/123456789/response", """{"response":"x"}""", 404)]
    [InlineData("PUT", "/moderation/reviews/1/response", """{"response":""}""", 422)]
    [InlineData("PUT", "/moderation/reviews/1/response", """{"response":42}""", 422)]
    [InlineData("PUT", "/moderation/reviews/1/response", """{"answer":"x"}""", 422)]
    [InlineData("PUT", "/moderation/reviews/1/response", """{"response":"a\u0000b"}""", 422)]
    [InlineData("PUT", "/moderation/reviews/1/response", """{"response":""", 400)]
    public async Task Bad_requests_are_problems_and_change_nothing(string method, string path, string? body, int status)
    {
        var before = await PostgresFixture.SnapshotAsync(api.ConnectionString);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new("Bearer", moderator);
        if (body is not null)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await api.Client.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await PostgresFixture.SnapshotAsync(api.ConnectionString));
    }

    [Fact]
    public async Task A_long_response_is_refused()
    {
        var response = await api.SendAsync(HttpMethod.Put, "/moderation/reviews/1/response", moderator,
            new JsonObject { ["response"] = new string('a', 1001) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Held_new_reviews_wait_as_pending_until_published_and_every_instance_hears_of_it()
    {
        await using var held = await ApiServer.StartAsync(api.ConnectionString, [.. StaffClient.Settings, ("Reviews:Moderation:HoldNewReviews", "true")]);
        await held.SubscribedAsync();
        await api.SubscribedAsync();
        var meta = await Get("/reviews/meta?product_id=3");
        var emptyList = await Get("/reviews?product_id=3");

        var created = await held.Client.PostAsJsonAsync("/reviews", Api.WriteTests.ValidReview());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (long)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["review_id"]!;
        Assert.Equal(emptyList, await held.Client.GetStringAsync("/reviews?product_id=3"));
        Assert.Equal(meta, await held.Client.GetStringAsync("/reviews/meta?product_id=3"));
        Assert.Equal(id, (long)(await QueueAsync("pending")).Single()!["review_id"]!);
        await AggregateAssert.MatchRecountAsync(api.ConnectionString);

        // Published on one instance; the other, which cached the empty answers, hears of it.
        await Act("publish", id);
        await Wait.UntilAsync(async () => (await held.Client.GetStringAsync("/reviews?product_id=3")).Contains($"\"review_id\":{id},"),
            "the other instance to list the published review");
        Assert.Contains("\"4\":\"1\"", await held.Client.GetStringAsync("/reviews/meta?product_id=3"));
        await AggregateAssert.MatchRecountAsync(api.ConnectionString);
    }
}
