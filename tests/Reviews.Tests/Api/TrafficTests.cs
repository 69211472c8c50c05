using System.Net.Sockets;
using Npgsql;

namespace Reviews.Tests.Api;

/// <summary>Overload and abuse: a rate limit per client, trusted proxies only, a cap on connections, a time limit per request.</summary>
public sealed class TrafficTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    static HttpRequestMessage Get(string url, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    [Fact]
    public async Task Past_its_burst_a_client_gets_429_with_retry_after_and_health_is_never_limited()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(),
            ("Reviews:Traffic:PermitsPerSecond", "1"), ("Reviews:Traffic:Burst", "5"));
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 7; i++)
            answers.Add(await api.Client.GetAsync("/reviews/meta?product_id=1"));

        Assert.All(answers.Take(5), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var refused = answers[6];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task X_forwarded_for_names_the_client_only_when_a_trusted_proxy_sends_it()
    {
        var database = await NewSeededDatabaseAsync();
        (string, string)[] limit = [("Reviews:Traffic:PermitsPerSecond", "1"), ("Reviews:Traffic:Burst", "2")];
        await using (var untrusting = await ApiServer.StartAsync(database, limit))
        {
            // Each request claims another client; the peer is what counts, and it is out of tokens after two.
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
                statuses.Add((await untrusting.Client.SendAsync(Get("/reviews/meta?product_id=1", $"203.0.113.{i}"))).StatusCode);
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        }
        await using var behindProxy = await ApiServer.StartAsync(database, [.. limit, ("Reviews:Traffic:TrustedProxies:0", "127.0.0.0/8")]);
        for (var i = 0; i < 6; i++) // six clients behind the proxy, each within its own limit
            Assert.Equal(HttpStatusCode.OK, (await behindProxy.Client.SendAsync(Get("/reviews/meta?product_id=1", $"203.0.113.{i}"))).StatusCode);
    }

    [Fact]
    public async Task Connections_past_the_cap_are_closed()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), ("Reviews:Traffic:MaxConnections", "2"));
        var port = api.Client.BaseAddress!.Port;
        using var first = new TcpClient();
        using var second = new TcpClient();
        // Each answered once, so Kestrel has accepted and counted both; they stay open (keep-alive).
        foreach (var client in new[] { first, second })
        {
            await client.ConnectAsync("127.0.0.1", port);
            var stream = client.GetStream();
            await stream.WriteAsync("GET /health HTTP/1.1\r\nHost: test\r\n\r\n"u8.ToArray());
            var answer = new byte[256];
            Assert.StartsWith("HTTP/1.1 200", System.Text.Encoding.ASCII.GetString(answer, 0, await stream.ReadAsync(answer)));
        }
        using var third = new HttpClient { BaseAddress = api.Client.BaseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => third.GetAsync("/health"));
    }

    [Fact]
    public async Task A_request_past_its_time_limit_is_a_504_problem()
    {
        var database = await NewSeededDatabaseAsync();
        await using var api = await ApiServer.StartAsync(database, ("Reviews:Traffic:RequestTimeoutSeconds", "1"), ("Reviews:Cache:Enabled", "false"));
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE reviews.product_stats IN ACCESS EXCLUSIVE MODE", holder, tx))
            await lockTable.ExecuteNonQueryAsync(); // a meta read now waits (its lock_timeout is 2 s; the request's limit 1 s)

        var response = await api.Client.GetAsync("/reviews/meta?product_id=1");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("RequestTimeoutSeconds", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
    }
}
