namespace Reviews.Tests.Api;

/// <summary>GET /reviews/meta: the legacy strings, exactly.</summary>
public sealed class MetaTests(SharedSeededApi shared) : SharedSeededApiTest(shared)
{
    async Task<string> Meta(long productId)
    {
        var response = await Api.Client.GetAsync($"/reviews/meta?product_id={productId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Counts_are_strings_averages_have_16_decimals_and_reported_reviews_do_not_count() =>
        // Review 4 (rating 1, not recommended, Fit 1) is reported: it is in none of these numbers.
        Assert.Equal("""
            {"product_id":"1","ratings":{"2":"1","3":"1","4":"1","5":"2"},"recommended":{"false":"1","true":"4"},"characteristics":{"Fit":{"id":1,"value":"3.6666666666666667"},"Quality":{"id":2,"value":"4.0000000000000000"}}}
            """, await Meta(1));

    [Fact]
    public async Task Averages_round_half_away_from_zero_like_postgres_avg() =>
        Assert.Equal("""
            {"product_id":"2","ratings":{"4":"2","5":"1"},"recommended":{"false":"1","true":"2"},"characteristics":{"Comfort":{"id":3,"value":"4.3333333333333333"}}}
            """, await Meta(2));

    [Fact]
    public async Task A_characteristic_without_ratings_has_a_null_value() =>
        Assert.Equal("""
            {"product_id":"3","ratings":{},"recommended":{},"characteristics":{"Size":{"id":4,"value":null}}}
            """, await Meta(3));

    [Fact]
    public async Task An_unknown_product_has_empty_objects() =>
        Assert.Equal("""{"product_id":"7","ratings":{},"recommended":{},"characteristics":{}}""", await Meta(7));
}
