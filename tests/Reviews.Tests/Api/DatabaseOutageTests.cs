using Npgsql;
using Reviews.Cache;
using Reviews.Changes;

namespace Reviews.Tests.Api;

/// <summary>
/// An instance cut off from its database (through a relay the test cuts): cached answers are served for
/// StaleIfDisconnectedSeconds, then none (503, not ready), and everything comes back by itself once it can reach
/// the database again.
/// </summary>
public sealed class DatabaseOutageTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Cut_off_an_instance_serves_what_it_cached_for_a_bounded_time_then_nothing_and_recovers_alone()
    {
        var database = await NewSeededDatabaseAsync();
        await using var relay = new TcpRelay(new NpgsqlConnectionStringBuilder(database).Port);
        var throughRelay = new NpgsqlConnectionStringBuilder(database) { Port = relay.Port, Timeout = 2 }.ConnectionString;
        await using var api = await ApiServer.StartAsync(throughRelay, ("Reviews:Cache:StaleIfDisconnectedSeconds", "2"));
        var cache = api.Service<ResponseCache>();
        await api.SubscribedAsync();
        var cached = await api.Client.GetStringAsync("/reviews/meta?product_id=2");

        relay.Cut();
        await Wait.UntilAsync(() => cache.Holding, "the cache to hold its answers");
        Assert.Equal(cached, await api.Client.GetStringAsync("/reviews/meta?product_id=2"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.Client.GetAsync("/reviews/meta?product_id=3")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/live")).StatusCode);

        // Past the bound, the cached answer goes too: it may be missing writes made through other instances.
        var cut = DateTime.UtcNow;
        await Wait.UntilAsync(async () => (await api.Client.GetAsync("/reviews/meta?product_id=2")).StatusCode == HttpStatusCode.ServiceUnavailable, "a 503 once the kept answers are dropped");
        Assert.InRange((DateTime.UtcNow - cut).TotalSeconds, 0.5, 5);

        relay.Restore();
        await Wait.UntilAsync(async () => (await api.Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "ready again once the database is back");
        Assert.Equal(cached, await api.Client.GetStringAsync("/reviews/meta?product_id=2"));
        await Wait.UntilAsync(() => api.Service<ChangeFeed>().Subscriptions == 2 && !cache.Holding, "a second subscription, and the cache keeping answers again");
    }
}
