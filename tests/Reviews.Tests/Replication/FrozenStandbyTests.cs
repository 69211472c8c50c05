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
    /// <summary>
    /// Runs <paramref name="test"/> with a relay to the standby, the data source over the primary and the relay, and the
    /// store's reads on it; and closes the relay first: the reads given up end when their connections drop.
    /// </summary>
    async Task WithRelayAsync(int connectTimeoutSeconds, Func<TcpRelay, NpgsqlDataSource, Func<CancellationToken, Task<List<StoredReview>>>, Task> test,
        int readTimeoutMilliseconds = 300)
    {
        var relay = new TcpRelay(new NpgsqlConnectionStringBuilder(cluster.StandbyConnectionString).Port);
        var primaryPort = new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString).Port;
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString)
        { Host = $"127.0.0.1:{primaryPort},127.0.0.1:{relay.Port}", Timeout = connectTimeoutSeconds }.ConnectionString);
        Database.Configure(builder);
        await using var hosts = builder.BuildMultiHost();
        var queries = new ReviewQueries(new StoreConnections(hosts.WithTargetSession(TargetSessionAttributes.ReadWrite),
            hosts.WithTargetSession(TargetSessionAttributes.PreferStandby), Options.Create(new StandbyOptions { ReadTimeoutMilliseconds = readTimeoutMilliseconds }), hosts));
        try
        {
            await test(relay, hosts, ct => queries.ListAsync(1, ReviewSort.Newest, 1, 5, null, new NpgsqlLogSequenceNumber(0), ct));
        }
        finally
        {
            await relay.DisposeAsync();
        }
    }

    [Fact]
    public Task A_read_on_a_frozen_standby_is_answered_by_the_primary_and_left_to_end_without_a_cancel_request() =>
        WithRelayAsync(connectTimeoutSeconds: 1, async (relay, _, list) =>
        {
            Assert.NotEmpty(await list(default));
            Assert.Equal(1, relay.Accepted); // (the standby answered through the relay; its connection is pooled)
            relay.Freeze();

            // Within nginx's 1.5 s for a read (deploy/lb/nginx.conf), past which it asks another instance. It takes
            // about 0.3 s (the read timeout, then the primary); waiting for its cancellation, it took 2.3 s.
            var reviews = await list(default).WaitAsync(TimeSpan.FromSeconds(1.5));

            Assert.NotEmpty(reviews);
            await NoCancelRequestAsync(relay);
        });

    /// <summary>
    /// No cancel request reaches the frozen server: Npgsql opens one synchronously on a thread-pool thread. (When the
    /// read given up was cancelled, one came within milliseconds; half a second is ample to see none.)
    /// </summary>
    static async Task NoCancelRequestAsync(TcpRelay relay)
    {
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        Assert.Equal(1, relay.Accepted);
    }

    // (A connect timeout far longer than the read's 300 ms, so that waiting for it cannot pass for not waiting.)
    [Fact]
    public Task A_read_that_must_connect_to_a_frozen_standby_is_answered_by_the_primary_without_waiting_for_the_connect_timeout() =>
        WithRelayAsync(connectTimeoutSeconds: 5, async (relay, hosts, list) =>
        {
            Assert.NotEmpty(await list(default)); // (the standby is known to Npgsql as one: the next reads go to it)
            relay.Freeze();
            hosts.Clear(); // (no pooled connection: the next read must open one, and the frozen server never answers it)

            var reviews = await list(default).WaitAsync(TimeSpan.FromSeconds(2));

            Assert.NotEmpty(reviews);
            Assert.Equal(2, relay.Accepted); // (the connection was attempted, and is left to its own timeout)
        });

    // The caller's token fires (the client gone, or nginx giving up) while the read waits on a server that hangs.
    [Fact]
    public Task A_read_its_caller_gave_up_is_left_to_end_without_a_cancel_request() =>
        WithRelayAsync(connectTimeoutSeconds: 1, readTimeoutMilliseconds: 10_000, test: async (relay, _, list) =>
        {
            Assert.NotEmpty(await list(default));
            relay.Freeze();
            using var caller = new CancellationTokenSource();
            var read = list(caller.Token);
            await Wait.UntilAsync(() => relay.Dropped > 0, "the read's statement reaching the frozen standby");

            await caller.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
            await NoCancelRequestAsync(relay);
        });
}
