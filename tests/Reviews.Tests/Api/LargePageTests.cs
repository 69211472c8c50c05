using Reviews.Reading;

namespace Reviews.Tests.Api;

/// <summary>Many large pages asked for at once are built a few at a time, so the memory they take stays bounded.</summary>
public sealed class LargePageTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Sixteen_large_pages_at_once_are_all_answered_two_at_a_time()
    {
        var database = await NewSeededDatabaseAsync();
        await PostgresFixture.ExecuteAsync(database, """
            INSERT INTO reviews.reviews (product_id, rating, date, summary, body, recommend, reviewer_name, reviewer_email, helpfulness)
            SELECT 777, 1 + n % 5, now() - n * interval '1 minute', 'summary ' || n, '"quoted" <b> & it''s 🔥 é ' || repeat('body ', 50), n % 2 = 0, 'name', 'e@x.io', n % 17
            FROM generate_series(1, 3000) AS n
            """);
        await using var api = await ApiServer.StartAsync(database, ("Reviews:Cache:Enabled", "false"));

        string[] sorts = ["newest", "helpful", "relevant"];
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            api.Client.GetAsync($"/reviews?product_id=777&count=1000&page={1 + i % 3}&sort={sorts[i % 3]}")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1000, JsonNode.Parse(await answers[0].Content.ReadAsStringAsync())!["results"]!.AsArray().Count);
        Assert.InRange(api.Service<LargePageGate>().Peak, 1, 2);

        // Written through the pooled path, a large page is byte for byte what ten pages of 100 hold (escaping included).
        static string Results(string page) => page[(page.IndexOf("\"results\":[", StringComparison.Ordinal) + 11)..^2];
        var raw = await api.Client.GetStringAsync("/reviews?product_id=777&count=1000&sort=newest");
        var small = new List<string>();
        for (var page = 1; page <= 10; page++)
            small.Add(Results(await api.Client.GetStringAsync($"/reviews?product_id=777&count=100&page={page}&sort=newest")));
        Assert.Equal(string.Join(',', small), Results(raw));
        Assert.Contains("""\"quoted\" <b> & it's""", raw);
        // The contract's escaping on the everyday path too: only what JSON requires (and UTF-16 escapes outside the BMP).
        Assert.Contains("""\"quoted\" <b> & it's \uD83D\uDD25 é body""", small[0]);
        Assert.StartsWith("""{"product":"777","page":0,"count":1000,"results":[{"review_id":""", raw);
    }
}
