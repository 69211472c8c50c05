using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Reviews.Store;

namespace Reviews.Tests.Replication;

/// <summary>
/// A failover's reads: the primary's host is gone (here, a server that accepts connections and never answers, as a
/// host that drops packets looks to a client) while a standby is up. A read waits for each server a bounded time, and
/// then takes the standby's answer, however far it has replayed: a little old is better than none.
/// </summary>
public sealed class PrimaryUnreachableTests(ReplicatedPostgres cluster) : IClassFixture<ReplicatedPostgres>
{
    [Theory]
    [InlineData("a writer's read (the primary only)")]
    [InlineData("a read the standby is behind for")]
    public async Task A_read_whose_primary_does_not_answer_takes_the_standbys_answer(string read)
    {
        await using var gone = SilentPrimary.Start(cluster);
        var (queries, accepted) = (gone.Queries, gone.Accepted);
        var required = read.Contains("writer") ? StoreConnections.PrimaryOnly : new NpgsqlLogSequenceNumber(ulong.MaxValue - 1);

        var started = Stopwatch.GetTimestamp();
        var reviews = await queries.ListAsync(1, ReviewSort.Newest, 1, 5, null, required, CancellationToken.None);

        Assert.NotEmpty(reviews);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5), $"{read}: answered after {Stopwatch.GetElapsedTime(started)}");
        Assert.NotEmpty(accepted); // (the primary was asked first, and did not answer)
    }

    [Fact]
    public async Task After_the_primary_failed_a_read_the_next_reads_do_not_ask_it()
    {
        await using var gone = SilentPrimary.Start(cluster);
        var (queries, accepted) = (gone.Queries, gone.Accepted);
        await queries.ListAsync(1, ReviewSort.Newest, 1, 5, null, StoreConnections.PrimaryOnly, CancellationToken.None);
        Assert.True(await CountReachesAsync(accepted, 1, TimeSpan.FromSeconds(10)), "the primary was asked first"); // (the accept loop may lag)
        await Task.Delay(1500); // (the first read's connections to it, cancel requests included, all land first)
        var asked = accepted.Count;

        var reviews = await queries.ListAsync(1, ReviewSort.Newest, 1, 5, null, StoreConnections.PrimaryOnly, CancellationToken.None);

        Assert.NotEmpty(reviews);
        Assert.False(await CountReachesAsync(accepted, asked + 1, TimeSpan.FromSeconds(1)), "the primary was asked again"); // (no second wait)
    }

    /// <summary>Whether the queue holds <paramref name="count"/> sockets within <paramref name="within"/>.</summary>
    static async Task<bool> CountReachesAsync(System.Collections.Concurrent.ConcurrentQueue<Socket> queue, int count, TimeSpan within)
    {
        var until = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
        while (queue.Count < count && Stopwatch.GetTimestamp() < until)
            await Task.Delay(20);
        return queue.Count >= count;
    }

    /// <summary>
    /// Reads over a "primary" that accepts connections and never answers (as a host that drops packets looks to a
    /// client) and the cluster's standby.
    /// </summary>
    sealed class SilentPrimary : IAsyncDisposable
    {
        readonly TcpListener listener = new(IPAddress.Loopback, 0);
        NpgsqlDataSource? primary;
        NpgsqlMultiHostDataSource? both;

        public System.Collections.Concurrent.ConcurrentQueue<Socket> Accepted { get; } = new();
        public ReviewQueries Queries { get; private set; } = null!;

        public static SilentPrimary Start(ReplicatedPostgres cluster)
        {
            var gone = new SilentPrimary();
            gone.listener.Start();
            _ = Task.Run(async () =>
            {
                while (true)
                    gone.Accepted.Enqueue(await gone.listener.AcceptSocketAsync());
            });
            var port = ((IPEndPoint)gone.listener.LocalEndpoint).Port;
            gone.primary = Database.CreateDataSource(new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString) { Port = port, Timeout = 1 }.ConnectionString);
            var builder = new NpgsqlDataSourceBuilder(cluster.BothConnectionString);
            Database.Configure(builder);
            gone.both = builder.BuildMultiHost();
            gone.Queries = new ReviewQueries(new StoreConnections(gone.primary, gone.both.WithTargetSession(TargetSessionAttributes.PreferStandby),
                Options.Create(new StandbyOptions { ReadTimeoutMilliseconds = 300 })));
            return gone;
        }

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            foreach (var socket in Accepted)
                socket.Dispose();
            await primary!.DisposeAsync();
            await both!.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_standby_marked_offline_is_asked_again_when_no_server_is_left()
    {
        // The standby behind a door that is closed at first (connections refused: Npgsql marks it offline for a
        // minute), then open; the primary is gone for good.
        var standby = new NpgsqlConnectionStringBuilder(cluster.StandbyConnectionString);
        var doorPort = FreePort();
        var primaryPort = FreePort();
        var hostList = new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString)
        {
            Host = $"127.0.0.1:{doorPort},127.0.0.1:{primaryPort}",
            Port = 5432,
            HostRecheckSeconds = 60,
            Timeout = 1,
        };
        var builder = new NpgsqlDataSourceBuilder(hostList.ConnectionString);
        Database.Configure(builder);
        await using var hosts = builder.BuildMultiHost();
        var queries = new ReviewQueries(new StoreConnections(hosts.WithTargetSession(TargetSessionAttributes.ReadWrite),
            hosts.WithTargetSession(TargetSessionAttributes.PreferStandby), Options.Create(new StandbyOptions()), hosts));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => queries.ListAsync(1, ReviewSort.Newest, 1, 5, null, new NpgsqlLogSequenceNumber(0), CancellationToken.None));

        using var door = new TcpListener(IPAddress.Loopback, doorPort);
        door.Start();
        using var forwarding = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!forwarding.IsCancellationRequested)
            {
                var client = await door.AcceptTcpClientAsync(forwarding.Token);
                var server = new TcpClient();
                await server.ConnectAsync(standby.Host!, standby.Port, forwarding.Token);
                _ = client.GetStream().CopyToAsync(server.GetStream(), forwarding.Token);
                _ = server.GetStream().CopyToAsync(client.GetStream(), forwarding.Token);
            }
        });

        var reviews = await queries.ListAsync(1, ReviewSort.Newest, 1, 5, null, new NpgsqlLogSequenceNumber(0), CancellationToken.None);

        Assert.NotEmpty(reviews);
        await forwarding.CancelAsync();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_standby_without_the_schema_yet_is_passed_over_for_the_primary()
    {
        // The "standby": a database with no reviews schema, as a standby is before it replays the first migration.
        var empty = new NpgsqlConnectionStringBuilder(cluster.BothConnectionString) { Database = "postgres" };
        var builder = new NpgsqlDataSourceBuilder(empty.ConnectionString);
        Database.Configure(builder);
        await using var behind = builder.BuildMultiHost();
        await using var primary = Database.CreateDataSource(cluster.PrimaryConnectionString);
        var queries = new ReviewQueries(new StoreConnections(primary, behind.WithTargetSession(TargetSessionAttributes.PreferStandby),
            Options.Create(new StandbyOptions())));

        var reviews = await queries.ListAsync(1, ReviewSort.Newest, 1, 5, null, new NpgsqlLogSequenceNumber(0), CancellationToken.None);

        Assert.NotEmpty(reviews);
    }
}
