using System.Net.Http.Headers;
using System.Text;
using Reviews.Store;

namespace Reviews.Tests.Api;

/// <summary>
/// POST /reviews with an Idempotency-Key: a retry (after a lost answer, on any instance) gets the first answer back
/// and creates nothing; the same key with another body is refused.
/// </summary>
public sealed class IdempotencyTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    static HttpRequestMessage Post(JsonObject review, string? key, params string[] moreKeys)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/reviews")
        {
            Content = new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (key is not null)
            request.Headers.TryAddWithoutValidation("Idempotency-Key", [key, .. moreKeys]);
        return request;
    }

    static async Task<long> ReviewId(HttpResponseMessage response) =>
        (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["review_id"]!;

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_gets_the_first_answer_from_any_instance()
    {
        var database = await NewSeededDatabaseAsync();
        await using var a = await ApiServer.StartAsync(database);
        await using var b = await ApiServer.StartAsync(database);
        var reviews = await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews");

        var first = await a.Client.SendAsync(Post(WriteTests.ValidReview(), "order-7-review"));
        var retry = await b.Client.SendAsync(Post(WriteTests.ValidReview(), "order-7-review"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await ReviewId(first), await ReviewId(retry));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(reviews + 1, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews"));
        await AggregateAssert.MatchRecountAsync(database);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_create_one_review()
    {
        var database = await NewSeededDatabaseAsync();
        await using var api = await ApiServer.StartAsync(database);
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => api.Client.SendAsync(Post(WriteTests.ValidReview(), "same-key"))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single((await Task.WhenAll(answers.Select(ReviewId))).Distinct());
        Assert.Equal(1, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews WHERE product_id = 3"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_and_changes_nothing()
    {
        var database = await NewSeededDatabaseAsync();
        await using var api = await ApiServer.StartAsync(database);
        Assert.Equal(HttpStatusCode.Created, (await api.Client.SendAsync(Post(WriteTests.ValidReview(), "k1"))).StatusCode);
        var before = await PostgresFixture.SnapshotAsync(database);

        var other = WriteTests.ValidReview();
        other["rating"] = 1;
        var refused = await api.Client.SendAsync(Post(other, "k1"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Idempotency-Key", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]);
        Assert.Equal(before, await PostgresFixture.SnapshotAsync(database));
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("tab\there")]
    [InlineData("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk")] // 256 characters
    public async Task A_malformed_key_is_a_400(string key)
    {
        var database = await NewSeededDatabaseAsync();
        await using var api = await ApiServer.StartAsync(database);
        var before = await PostgresFixture.SnapshotAsync(database);
        var response = await api.Client.SendAsync(Post(WriteTests.ValidReview(), key));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await PostgresFixture.SnapshotAsync(database));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Client.SendAsync(Post(WriteTests.ValidReview(), "a", "b"))).StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/problem+json"), new MediaTypeHeaderValue(response.Content.Headers.ContentType!.MediaType!));
    }

    [Fact]
    public async Task Keys_are_kept_a_day_then_forgotten()
    {
        var database = await NewSeededDatabaseAsync();
        await using var api = await ApiServer.StartAsync(database);
        await api.Client.SendAsync(Post(WriteTests.ValidReview(), "fresh"));
        await api.Client.SendAsync(Post(WriteTests.ValidReview(), "stale"));
        await PostgresFixture.ExecuteAsync(database, "UPDATE reviews.idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'stale'");

        Assert.Equal(1, await api.Service<ReviewWrites>().ForgetKeysOlderThanAsync(Reviews.Writing.IdempotencyKeyExpiry.KeptFor, CancellationToken.None));
        Assert.Equal("fresh", await PostgresFixture.ScalarAsync<string>(database, "SELECT string_agg(key, ',') FROM idempotency_keys"));
    }
}
