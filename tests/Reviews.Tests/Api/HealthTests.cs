using System.Diagnostics;
using Npgsql;

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

    [Fact]
    public async Task With_a_database_that_stopped_answering_an_instance_says_not_ready_within_two_seconds()
    {
        var database = await NewSeededDatabaseAsync();
        await using var relay = new TcpRelay(new NpgsqlConnectionStringBuilder(database).Port);
        await using var api = await ApiServer.StartAsync(new NpgsqlConnectionStringBuilder(database) { Port = relay.Port, Timeout = 1 }.ConnectionString);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/health/ready")).StatusCode);

        relay.Freeze(); // (its host cut off: the pooled connection's statement and the cancel request go unanswered)
        var asked = Stopwatch.StartNew();
        var ready = await api.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        // The balancer gives each check 3 s (deploy/lb/entrypoint.sh); waiting for Npgsql's cancellation took 4 s here.
        Assert.InRange(asked.Elapsed.TotalSeconds, 1.9, 3);
    }
}
