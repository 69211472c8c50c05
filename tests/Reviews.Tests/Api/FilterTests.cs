namespace Reviews.Tests.Api;

/// <summary>
/// GET /reviews narrowed by stars, searched, or with photos only (additive: without them the list is the legacy
/// one), combined with sort and paging, cached and made stale like every list.
/// </summary>
public sealed class FilterTests(PostgresFixture postgres) : SeededApiTest(postgres)
{
    async Task<long[]> Ids(string query)
    {
        var response = await Api.Client.GetAsync($"/reviews?product_id=1&{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return [.. JsonNode.Parse(body)!["results"]!.AsArray().Select(r => (long)r!["review_id"]!)];
    }

    [Theory]
    [InlineData("rating=5", new long[] { 1, 9 })]
    [InlineData("rating=4,5&sort=newest", new long[] { 2, 1, 9 })]
    [InlineData("rating=5,4,5&sort=newest", new long[] { 2, 1, 9 })]
    [InlineData("rating=1", new long[] { })]                               // review 4 is reported: never listed
    [InlineData("with_photos=true", new long[] { 1, 5 })]                   // 4's photo is a reported review's
    [InlineData("with_photos=false&sort=helpful", new long[] { 9, 3, 1, 2, 5 })]
    [InlineData("q=fit", new long[] { 1 })]                                 // "Fits well": English stemming
    [InlineData("q=feedback", new long[] { 2 })]                            // the shop's response is searched too
    [InlineData("q=%22same+date%22", new long[] { 3 })]                     // a phrase
    [InlineData("q=date+-tie", new long[] { })]                             // an excluded word
    [InlineData("q=wow+or+oldest&sort=newest", new long[] { 1, 9 })]
    [InlineData("q=CAFÉ", new long[] { 5 })]
    [InlineData("q=the", new long[] { })]                                   // a stop word alone matches nothing
    [InlineData("rating=5&with_photos=true&q=wow", new long[] { 1 })]
    [InlineData("rating=3,4,5&sort=newest&page=2&count=2", new long[] { 1, 9 })]
    public async Task A_filter_narrows_the_list_in_its_order(string query, long[] expected) =>
        Assert.Equal(expected, await Ids(query));

    [Fact]
    public async Task Without_a_filter_or_with_empty_ones_the_answer_is_the_legacy_one_byte_for_byte()
    {
        var legacy = await Api.Client.GetStringAsync("/reviews?product_id=1&count=10");
        Assert.Equal(legacy, await Api.Client.GetStringAsync("/reviews?product_id=1&count=10&rating=&q=&with_photos=false"));
        Assert.Equal(legacy, await Api.Client.GetStringAsync("/reviews?product_id=1&count=10&rating=1,2,3,4,5"));
    }

    [Theory]
    [InlineData("rating=6", "rating")]
    [InlineData("rating=4,,5", "rating")]
    [InlineData("rating=45", "rating")]
    [InlineData("rating=4&rating=5", "rating")]
    [InlineData("with_photos=yes", "with_photos")]
    [InlineData("q=%00", "q")]
    public async Task Bad_values_are_422_problems(string query, string parameter)
    {
        var response = await Api.Client.GetAsync($"/reviews?product_id=1&{query}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith(parameter, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!);
    }

    [Fact]
    public async Task A_search_finds_the_same_before_the_vectors_are_filled_and_after()
    {
        // The import filled them (it does so after the swap, live).
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(Api.ConnectionString, "SELECT count(*) FROM reviews WHERE search IS NULL"));
        var (filled, searched) = (await Ids("q=date+or+feedback&sort=newest"), await Ids("q=wow&with_photos=true"));
        await PostgresFixture.ExecuteAsync(Api.ConnectionString, "UPDATE reviews.reviews SET search = NULL");
        Assert.Equal(filled, await Ids("q=date+or+feedback&sort=newest&count=6"));
        Assert.Equal(searched, await Ids("q=wow&with_photos=true&count=6"));
        Assert.Equal(await PostgresFixture.ScalarAsync<long>(Api.ConnectionString, "SELECT count(*) FROM reviews"),
            await Reviews.Store.SearchVectors.FillAsync(Api.ConnectionString, CancellationToken.None));
        Assert.Equal(filled, await Ids("q=date+or+feedback&sort=newest&count=7"));
    }

    [Fact]
    public async Task A_search_longer_than_200_characters_is_refused()
    {
        var response = await Api.Client.GetAsync($"/reviews?product_id=1&q={new string('a', 201)}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task A_write_to_the_product_makes_its_filtered_and_searched_answers_stale()
    {
        await Api.SubscribedAsync();
        Assert.Equal(new long[] { 1, 9 }, await Ids("rating=5"));
        Assert.Equal(new long[] { 1 }, await Ids("q=wow"));
        var review = WriteTests.ValidReview();
        review["product_id"] = 1;
        review["rating"] = 5;
        review["body"] = "Wow, it runs small.";
        review["characteristics"] = new JsonObject();
        var created = await Api.Client.PostAsJsonAsync("/reviews", review);
        var id = (long)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["review_id"]!;

        Assert.Contains(id, await Ids("rating=5"));
        Assert.Contains(id, await Ids("q=wow"));
        Assert.Equal(new[] { id }, await Ids("q=running+small"));
    }
}
