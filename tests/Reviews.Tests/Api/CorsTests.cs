namespace Reviews.Tests.Api;

/// <summary>Browsers on other origins: refused unless configured (Reviews:Cors:AllowedOrigins), then only those origins.</summary>
public sealed class CorsTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    static HttpRequestMessage Preflight(string origin) => new(HttpMethod.Options, "/reviews")
    {
        Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "content-type" } },
    };

    [Fact]
    public async Task Off_by_default_no_cors_headers_are_sent()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync());
        var preflight = await api.Client.SendAsync(Preflight("https://shop.example"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, preflight.StatusCode);
        var get = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/reviews/meta?product_id=1") { Headers = { { "Origin", "https://shop.example" } } });
        Assert.False(get.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_configured_origin_may_call_and_others_may_not()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), ("Reviews:Cors:AllowedOrigins:0", "https://shop.example"));

        var preflight = await api.Client.SendAsync(Preflight("https://shop.example"));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://shop.example", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());

        var get = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/reviews/meta?product_id=1") { Headers = { { "Origin", "https://shop.example" } } });
        Assert.Equal("https://shop.example", get.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var stranger = await api.Client.SendAsync(Preflight("https://evil.example"));
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
