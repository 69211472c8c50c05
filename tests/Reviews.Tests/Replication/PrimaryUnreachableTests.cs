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
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
                accepted.Enqueue(await silent.AcceptSocketAsync());
        });
        var gone = new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString) { Port = ((IPEndPoint)silent.LocalEndpoint).Port, Timeout = 1 };
        await using var primary = Database.CreateDataSource(gone.ConnectionString);
        var builder = new NpgsqlDataSourceBuilder(cluster.BothConnectionString);
        Database.Configure(builder);
        await using var both = builder.BuildMultiHost();
        var queries = new ReviewQueries(new StoreConnections(primary, both.WithTargetSession(TargetSessionAttributes.PreferStandby),
            Options.Create(new StandbyOptions { ReadTimeoutMilliseconds = 300 })));
        var required = read.Contains("writer") ? StoreConnections.PrimaryOnly : new NpgsqlLogSequenceNumber(ulong.MaxValue - 1);

        var started = Stopwatch.GetTimestamp();
        var reviews = await queries.ListAsync(1, ReviewSort.Newest, 1, 5, required, CancellationToken.None);

        Assert.NotEmpty(reviews);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5), $"{read}: answered after {Stopwatch.GetElapsedTime(started)}");
        Assert.NotEmpty(accepted); // (the primary was asked first, and did not answer)
        foreach (var socket in accepted)
            socket.Dispose();
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

        var reviews = await queries.ListAsync(1, ReviewSort.Newest, 1, 5, new NpgsqlLogSequenceNumber(0), CancellationToken.None);

        Assert.NotEmpty(reviews);
    }
}
