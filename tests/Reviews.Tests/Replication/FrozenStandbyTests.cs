using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Reviews.Store;

namespace Reviews.Tests.Replication;

/// <summary>
/// A standby whose server stopped answering while its host's network still does (here, a relay that froze): a read
/// on it is given up after the read timeout and answered by the primary. Npgsql's cancel request for the statement
/// given up is sent on a thread of its own; on such a server it waits for an answer that never comes, and the read
/// must not wait with it.
/// </summary>
public sealed class FrozenStandbyTests(ReplicatedPostgres cluster) : IClassFixture<ReplicatedPostgres>
{
    [Fact]
    public async Task A_read_on_a_frozen_standby_is_answered_by_the_primary_without_waiting_for_its_cancellation()
    {
        var relay = new TcpRelay(new NpgsqlConnectionStringBuilder(cluster.StandbyConnectionString).Port);
        var primaryPort = new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString).Port;
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString)
        { Host = $"127.0.0.1:{primaryPort},127.0.0.1:{relay.Port}", Timeout = 1 }.ConnectionString);
        Database.Configure(builder);
        await using var hosts = builder.BuildMultiHost();
        try
        {
            var queries = new ReviewQueries(new StoreConnections(hosts.WithTargetSession(TargetSessionAttributes.ReadWrite),
                hosts.WithTargetSession(TargetSessionAttributes.PreferStandby), Options.Create(new StandbyOptions { ReadTimeoutMilliseconds = 300 }), hosts));
            Task<List<StoredReview>> List() => queries.ListAsync(1, ReviewSort.Newest, 1, 5, null, new NpgsqlLogSequenceNumber(0), CancellationToken.None);
            Assert.NotEmpty(await List());
            Assert.Equal(1, relay.Accepted); // (the standby answered through the relay; its connection is pooled)
            relay.Freeze();

            // Within nginx's 1.5 s for a read (deploy/lb/nginx.conf), past which it asks another instance. It takes
            // about 0.3 s (the read timeout, then the primary); waiting for its cancellation, it took 2.3 s.
            var reviews = await List().WaitAsync(TimeSpan.FromSeconds(1.5));

            Assert.NotEmpty(reviews);
            // The cancel request was sent all the same, and waits on the frozen server.
            await Wait.UntilAsync(() => relay.Accepted >= 2, "the cancel request reaching the frozen standby", TimeSpan.FromSeconds(10));
        }
        finally
        {
            await relay.DisposeAsync(); // (before the data source: the read given up ends when its connection drops)
        }
    }
}
