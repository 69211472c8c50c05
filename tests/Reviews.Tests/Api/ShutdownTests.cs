using Npgsql;

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
        await Task.Delay(300);

        var started = DateTime.UtcNow;
        var stopping = api.StopAsync();
        await Task.Delay(300);
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
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.9), "the listener stayed open for the drain");
        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.GetAsync("/health"));
        Assert.Equal(1, await PostgresFixture.ScalarAsync<int>(database, "SELECT helpfulness FROM reviews.reviews WHERE id = 8"));
    }
}
