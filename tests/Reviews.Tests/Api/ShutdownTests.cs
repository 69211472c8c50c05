using Npgsql;
using Reviews.Hosting;

namespace Reviews.Tests.Api;

public sealed class ShutdownTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task On_stop_an_instance_drains_then_closes_its_listener_and_finishes_the_requests_in_flight()
    {
        var database = await NewSeededDatabaseAsync();
        await using var api = await ApiServer.StartAsync(database, ("Reviews:Shutdown:DrainSeconds", "2"));
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/ready")).StatusCode);

        // A vote in flight: it waits for a row lock this test holds.
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await new NpgsqlCommand("UPDATE reviews.reviews SET helpfulness = helpfulness WHERE id = 8", holder, hold).ExecuteNonQueryAsync();
        var vote = api.Client.PutAsync("/reviews/8/helpful", null);
        await Wait.UntilAsync(async () => await PostgresFixture.ScalarAsync<long>(database,
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") == 1, "the vote to wait for the row lock");

        var stopping = api.StopAsync();
        await Wait.UntilAsync(() => api.Service<ShutdownDrain>().Draining, "the drain to begin");
        // Draining: still answering, but not ready, and each connection closed after its answer.
        var ready = await api.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(ready.Headers.ConnectionClose, "Connection: close while draining");
        var list = await api.Client.GetAsync("/reviews?product_id=2");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.True(list.Headers.ConnectionClose);

        await hold.CommitAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await vote).StatusCode);
        await stopping;
        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.GetAsync("/health"));
        Assert.Equal(1, await PostgresFixture.ScalarAsync<int>(database, "SELECT helpfulness FROM reviews.reviews WHERE id = 8"));
    }
}
