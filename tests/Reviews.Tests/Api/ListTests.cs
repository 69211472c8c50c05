namespace Reviews.Tests.Api;

/// <summary>GET /reviews against the contract data set (Data/contract), field by field.</summary>
public sealed class ListTests(SharedSeededApi shared) : SharedSeededApiTest(shared)
{

    async Task<JsonObject> Get(string url)
    {
        var response = await Api.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    static long[] Ids(JsonObject list) => [.. list["results"]!.AsArray().Select(r => (long)r!["review_id"]!)];

    [Fact]
    public async Task A_review_has_exactly_the_legacy_fields_in_order_with_legacy_types()
    {
        var body = await Api.Client.GetStringAsync("/reviews?product_id=1&sort=helpful&count=3");
        Assert.StartsWith("""{"product":"1","page":0,"count":3,"results":[""", body);
        Assert.Contains("""
            {"review_id":1,"rating":5,"summary":"Great, really","recommend":true,"response":null,"body":"Fits well. Said \"wow\" twice.","date":"2020-07-30T03:41:21.467Z","reviewer_name":"funtime","helpfulness":8,"photos":[{"id":1,"url":"https://images.example/a.jpg"},{"id":2,"url":"https://images.example/b.jpg"}]}
            """, body);
    }

    [Fact]
    public async Task Defaults_are_page_1_count_5_sort_relevant()
    {
        var list = await Get("/reviews?product_id=1");
        Assert.Equal("1", (string)list["product"]!);
        Assert.Equal(0, (int)list["page"]!);
        Assert.Equal(5, (int)list["count"]!);
        Assert.Equal(new long[] { 3, 1, 9, 2, 5 }, Ids(list));
    }

    [Theory]
    [InlineData("newest", new long[] { 3, 2, 5, 1, 9 })]    // date desc; 2 and 3 share a date: id desc
    [InlineData("helpful", new long[] { 9, 3, 1, 2, 5 })]   // helpfulness desc; 1, 3, 9 tie on 8: id desc
    [InlineData("relevant", new long[] { 3, 1, 9, 2, 5 })]  // helpfulness desc, then date desc
    public async Task Each_sort_order_with_its_tie_break(string sort, long[] expected) =>
        Assert.Equal(expected, Ids(await Get($"/reviews?product_id=1&sort={sort}&count=10")));

    [Fact]
    public async Task Pages_are_echoed_zero_based_and_run_out_into_an_empty_list()
    {
        var second = await Get("/reviews?product_id=1&count=2&page=2");
        Assert.Equal(1, (int)second["page"]!);
        Assert.Equal(2, (int)second["count"]!);
        Assert.Equal(new long[] { 9, 2 }, Ids(second));
        Assert.Equal(new long[] { 5 }, Ids(await Get("/reviews?product_id=1&count=2&page=3")));
        var past = await Get("/reviews?product_id=1&count=2&page=4");
        Assert.Equal(3, (int)past["page"]!);
        Assert.Empty(Ids(past));
        Assert.Empty(Ids(await Get("/reviews?product_id=1&count=2&page=2000000000")));
    }

    [Fact]
    public async Task Reported_reviews_are_never_listed()
    {
        var all = Ids(await Get("/reviews?product_id=1&count=10000&sort=newest"));
        Assert.DoesNotContain(4L, all);
        Assert.Equal(5, all.Length);
    }

    [Fact]
    public async Task Null_response_is_null_and_quoted_null_is_text()
    {
        var results = (await Get("/reviews?product_id=1&count=10"))["results"]!.AsArray();
        Assert.Null(results.Single(r => (long)r!["review_id"]! == 1)!["response"]);
        Assert.Equal("null", (string?)results.Single(r => (long)r!["review_id"]! == 3)!["response"]);
        Assert.Equal("Thanks for the feedback!", (string?)results.Single(r => (long)r!["review_id"]! == 2)!["response"]);
    }

    [Fact]
    public async Task Text_survives_byte_for_byte_including_line_breaks_and_non_ascii()
    {
        var results = (await Get("/reviews?product_id=1&count=10"))["results"]!.AsArray();
        Assert.Equal("A line\nthat breaks", (string?)results.Single(r => (long)r!["review_id"]! == 2)!["body"]);
        var five = results.Single(r => (long)r!["review_id"]! == 5)!;
        Assert.Equal("Café ☕ naïve", (string?)five["summary"]);
        Assert.Equal("Ünïcödé 👍 text", (string?)five["body"]);
        Assert.Equal("2020-09-13T12:26:40.000Z", (string?)five["date"]);
        Assert.Empty(results.Single(r => (long)r!["review_id"]! == 3)!["photos"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_product_has_an_empty_list()
    {
        var list = await Get("/reviews?product_id=999999");
        Assert.Equal("999999", (string)list["product"]!);
        Assert.Empty(Ids(list));
    }

    [Theory]
    [InlineData("/reviews/?product_id=1")]
    [InlineData("/reviews/meta/?product_id=1")]
    public async Task Paths_answer_with_a_trailing_slash(string url) =>
        Assert.Equal(HttpStatusCode.OK, (await Api.Client.GetAsync(url)).StatusCode);
}
