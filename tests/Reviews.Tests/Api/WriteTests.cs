namespace Reviews.Tests.Api;

/// <summary>POST /reviews and the two PUTs, on a fresh copy of the contract data set per test.</summary>
public sealed class WriteTests(PostgresFixture postgres) : SeededApiTest(postgres)
{

    public static JsonObject ValidReview() => new()
    {
        ["product_id"] = 3,
        ["rating"] = 4,
        ["summary"] = "Solid",
        ["body"] = "Fits as expected, \"really\".",
        ["recommend"] = true,
        ["name"] = "newbie",
        ["email"] = "newbie@example.com",
        ["photos"] = new JsonArray("https://images.example/1.jpg", "http://images.example/2.jpg"),
        ["characteristics"] = new JsonObject { ["4"] = 5 },
    };

    async Task<JsonObject> Json(string url) => JsonNode.Parse(await Api.Client.GetStringAsync(url))!.AsObject();

    [Fact]
    public async Task A_posted_review_is_created_then_listed_and_counted()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        var response = await Api.Client.PostAsJsonAsync("/reviews", ValidReview());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["review_id"]!;
        Assert.True(id > 9, "new ids continue after the imported ones");
        Assert.Equal($"/reviews/{id}", response.Headers.Location!.OriginalString);

        var review = (await Json("/reviews?product_id=3"))["results"]!.AsArray().Single()!;
        Assert.Equal(id, (long)review["review_id"]!);
        Assert.Equal(4, (int)review["rating"]!);
        Assert.Equal("Solid", (string?)review["summary"]);
        Assert.Equal("Fits as expected, \"really\".", (string?)review["body"]);
        Assert.True((bool)review["recommend"]!);
        Assert.Null(review["response"]);
        Assert.Equal("newbie", (string?)review["reviewer_name"]);
        Assert.Equal(0, (int)review["helpfulness"]!);
        var date = DateTime.Parse((string)review["date"]!, null, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.InRange(date, before, DateTime.UtcNow.AddSeconds(1));
        var photos = review["photos"]!.AsArray();
        Assert.Equal(["https://images.example/1.jpg", "http://images.example/2.jpg"], photos.Select(p => (string)p!["url"]!));
        Assert.True((long)photos[0]!["id"]! < (long)photos[1]!["id"]!);

        Assert.Equal("""
            {"product_id":"3","ratings":{"4":"1"},"recommended":{"true":"1"},"characteristics":{"Size":{"id":4,"value":"5.0000000000000000"}}}
            """, await Api.Client.GetStringAsync("/reviews/meta?product_id=3"));
    }

    [Fact]
    public async Task A_post_moves_the_existing_averages_exactly()
    {
        var review = ValidReview();
        review["product_id"] = 1;
        review["rating"] = 2;
        review["recommend"] = false;
        review["characteristics"] = new JsonObject { ["1"] = 1, ["2"] = 5 };
        review.Remove("summary"); // optional
        review.Remove("photos");
        Assert.Equal(HttpStatusCode.Created, (await Api.Client.PostAsJsonAsync("/reviews", review)).StatusCode);

        // Fit: 5, 3, 3 + 1 = 12 / 4; Quality: 4 + 5 = 9 / 2. The reported review still does not count.
        Assert.Equal("""
            {"product_id":"1","ratings":{"2":"2","3":"1","4":"1","5":"2"},"recommended":{"false":"2","true":"4"},"characteristics":{"Fit":{"id":1,"value":"3.0000000000000000"},"Quality":{"id":2,"value":"4.5000000000000000"}}}
            """, await Api.Client.GetStringAsync("/reviews/meta?product_id=1"));
        var newest = (await Json("/reviews?product_id=1&sort=newest&count=1"))["results"]![0]!;
        Assert.Equal("", (string?)newest["summary"]);
        Assert.Empty(newest["photos"]!.AsArray());
    }

    [Fact]
    public async Task Fifty_concurrent_helpful_votes_all_count()
    {
        var calls = Enumerable.Range(0, 50).Select(_ => Api.Client.PutAsync("/reviews/5/helpful", null));
        var responses = await Task.WhenAll(calls);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal(50, await PostgresFixture.ScalarAsync<int>(Api.ConnectionString, "SELECT helpfulness FROM reviews WHERE id = 5"));
    }

    [Fact]
    public async Task Helpfulness_stops_at_its_largest_value_instead_of_failing()
    {
        await PostgresFixture.ExecuteAsync(Api.ConnectionString, "UPDATE reviews.reviews SET helpfulness = 2147483646 WHERE id = 3");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.NoContent, (await Api.Client.PutAsync("/reviews/3/helpful", null)).StatusCode);
        Assert.Equal(int.MaxValue, await PostgresFixture.ScalarAsync<int>(Api.ConnectionString, "SELECT helpfulness FROM reviews WHERE id = 3"));
    }

    [Fact]
    public async Task Helpful_answers_204_with_no_body_ignores_a_form_body_and_takes_a_trailing_slash()
    {
        var response = await Api.Client.PutAsync("/reviews/2/helpful/", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(3, await PostgresFixture.ScalarAsync<int>(Api.ConnectionString, "SELECT helpfulness FROM reviews WHERE id = 2"));
    }

    [Fact]
    public async Task A_reported_review_leaves_the_list_and_the_meta_and_is_not_deleted()
    {
        var response = await Api.Client.PutAsync("/reviews/1/report", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        // Reporting again changes nothing: the review is counted out once.
        Assert.Equal(HttpStatusCode.NoContent, (await Api.Client.PutAsync("/reviews/1/report/", null)).StatusCode);

        var ids = (await Json("/reviews?product_id=1&count=100"))["results"]!.AsArray().Select(r => (long)r!["review_id"]!);
        Assert.DoesNotContain(1L, ids);
        // Without review 1 (rating 5, recommended, Fit 5, Quality 4): Fit 3, 3; Quality has no ratings left.
        Assert.Equal("""
            {"product_id":"1","ratings":{"2":"1","3":"1","4":"1","5":"1"},"recommended":{"false":"1","true":"3"},"characteristics":{"Fit":{"id":1,"value":"3.0000000000000000"},"Quality":{"id":2,"value":null}}}
            """, await Api.Client.GetStringAsync("/reviews/meta?product_id=1"));
        Assert.True(await PostgresFixture.ScalarAsync<bool>(Api.ConnectionString, "SELECT reported FROM reviews WHERE id = 1"));
    }

    [Fact]
    public async Task Posts_and_reports_racing_on_one_product_all_succeed_and_the_totals_stay_exact()
    {
        // 64 clients: 200 POSTs to product 1 (rating both its characteristics), a third of them reported at once.
        // POST and report take the product's and its characteristics' totals: in opposite orders, they deadlocked.
        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var client = new HttpClient { BaseAddress = Api.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var review = ValidReview();
            review["product_id"] = 1;
            review["rating"] = 1 + i % 5;
            review["characteristics"] = new JsonObject { ["1"] = 1 + i % 5, ["2"] = 5 - i % 5 };
            var created = await client.PostAsJsonAsync("/reviews", review, ct);
            statuses.Add((int)created.StatusCode);
            if (i % 3 == 0 && created.StatusCode == HttpStatusCode.Created)
                statuses.Add((int)(await client.PutAsync($"{created.Headers.Location}/report", null, ct)).StatusCode);
        });

        Assert.Equal(267, statuses.Count);
        Assert.All(statuses, status => Assert.True(status is 201 or 204, $"status {status}"));
        await AggregateAssert.MatchRecountAsync(Api.ConnectionString);
    }

    [Fact]
    public async Task Concurrent_reports_of_one_review_count_it_out_once()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Api.Client.PutAsync("/reviews/6/report", null)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal("""
            {"product_id":"2","ratings":{"4":"2"},"recommended":{"false":"1","true":"1"},"characteristics":{"Comfort":{"id":3,"value":"4.0000000000000000"}}}
            """, await Api.Client.GetStringAsync("/reviews/meta?product_id=2"));
    }

    [Theory]
    [InlineData("helpful")]
    [InlineData("report")]
    public async Task An_unknown_review_is_a_404_problem(string action)
    {
        var before = await PostgresFixture.SnapshotAsync(Api.ConnectionString);
        var response = await Api.Client.PutAsync($"/reviews/123456789/{action}", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("123456789", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
        Assert.Equal(before, await PostgresFixture.SnapshotAsync(Api.ConnectionString));
    }

    [Fact]
    public async Task The_kept_aggregates_equal_a_recount_after_a_mix_of_writes()
    {
        foreach (var product in new[] { 1, 2, 3 })
        {
            var review = ValidReview();
            review["product_id"] = product;
            review["characteristics"] = new JsonObject();
            await Api.Client.PostAsJsonAsync("/reviews", review);
        }
        await Api.Client.PutAsync("/reviews/3/report", null);
        await Api.Client.PutAsync("/reviews/7/report", null);
        await AggregateAssert.MatchRecountAsync(Api.ConnectionString);
    }
}
