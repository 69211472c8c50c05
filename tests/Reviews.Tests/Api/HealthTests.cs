namespace Reviews.Tests.Api;

/// <summary>/health/live says the process answers; /health/ready also needs the database.</summary>
public sealed class HealthTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task With_its_database_an_instance_is_live_and_ready()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync());
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Without_its_database_an_instance_is_live_but_not_ready()
    {
        await using var api = await ApiServer.StartAsync("Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2");
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/live")).StatusCode);
        var ready = await api.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
    }
}
