namespace Reviews.Tests.Api;

public sealed class UnavailableTests
{
    [Theory]
    [InlineData("GET", "/reviews?product_id=1")]
    [InlineData("GET", "/reviews/meta?product_id=1")]
    [InlineData("PUT", "/reviews/1/helpful")]
    public async Task An_unreachable_database_is_a_503_with_retry_after_and_no_stack_trace(string method, string url)
    {
        // Nothing listens on port 1 of the loopback: every connection attempt is refused at once.
        await using var api = await ApiServer.StartAsync("Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2");
        var response = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.RetryAfter is not null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body);
        Assert.Contains("retry", (string?)JsonNode.Parse(body)!["detail"]);
    }
}
