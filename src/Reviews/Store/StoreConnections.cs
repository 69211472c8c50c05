using System.Diagnostics;
using System.Runtime.CompilerServices;
using Npgsql;
using Microsoft.Extensions.Options;
using NpgsqlTypes;

namespace Reviews.Store;

/// <summary>
/// The store's connections. Writes go to the primary. Reads go to a standby when the connection string names several
/// hosts (Npgsql's prefer-standby), and count only if the standby had replayed what the caller requires (a WAL
/// position; Changes/ChangePositions.cs says which); else, and with no standby up, to the primary.
/// </summary>
/// <remarks><paramref name="hosts"/>: the servers both come from, when the connection string names several.</remarks>
public sealed class StoreConnections([FromKeyedServices(Database.Primary)] NpgsqlDataSource primary,
    [FromKeyedServices(Database.Reads)] NpgsqlDataSource reads, IOptions<StandbyOptions> options, NpgsqlMultiHostDataSource? hosts = null)
{
    readonly TimeSpan readTimeout = TimeSpan.FromMilliseconds(options.Value.ReadTimeoutMilliseconds);

    // After the primary failed a read (gone, or not answering in time), reads leave it alone for a moment: in a
    // failover, every read asking it again paid the wait again, and GETs went past nginx's 1.5 s in the swarm lab.
    static readonly TimeSpan PrimaryLeftAlone = TimeSpan.FromSeconds(2);
    long primaryLeftAloneUntil;

    /// <summary>A position no standby reaches: the read goes to the primary.</summary>
    public static readonly NpgsqlLogSequenceNumber PrimaryOnly = new(ulong.MaxValue);

    // Reads first ask a standby how far it has replayed (one more statement in the same round trip): only when
    // there may be standbys.
    readonly bool standbys = Database.HasStandbys(new NpgsqlConnectionStringBuilder(reads.ConnectionString));

    /// <summary>
    /// The time each statement waited for its connection: a pooled one at once, else until one is returned or a new
    /// one is opened. (Npgsql counts the requests waiting, not how long they wait.)
    /// </summary>
    public event Action<TimeSpan>? ConnectionWaited;

    /// <summary>Raised when a standby's answer was refused for not having replayed what the read required.</summary>
    public event Action? StandbyBehind;

    /// <summary>The primary's pool size (writes may take half of it).</summary>
    public int PrimaryPoolSize => new NpgsqlConnectionStringBuilder(primary.ConnectionString).MaxPoolSize;

    /// <summary>A connection to the primary, its wait timed.</summary>
    public ValueTask<NpgsqlConnection> OpenPrimaryAsync(CancellationToken ct) => OpenAsync(primary, ct);

    async ValueTask<NpgsqlConnection> OpenAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var connection = await source.OpenConnectionAsync(ct);
        ConnectionWaited?.Invoke(Stopwatch.GetElapsedTime(started));
        return connection;
    }

    /// <summary>
    /// Runs a read's statements (each with the product id as $1, then <paramref name="parameters"/>) as one batch on a
    /// standby that has replayed <paramref name="required"/>, else on the primary, and reads the results. Each server
    /// is given <see cref="StandbyOptions.ReadTimeoutMilliseconds"/>: one on a host that vanished drops packets
    /// silently, and a read must not wait for TCP to notice. With no primary answering in time (a failover), a
    /// standby's answer counts however far it has replayed: a little old is better than none; and for the next 2 s
    /// reads do not ask the primary at all.
    /// </summary>
    public async Task<T> ReadAsync<T>(NpgsqlLogSequenceNumber required, string[] statements, Action<NpgsqlParameterCollection> parameters,
        Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct)
    {
        if (!standbys)
            return (await ReadOnceAsync(required, statements, parameters, read, ct)).Value!;
        (bool Current, T? Value)? standby = null;
        if (required != PrimaryOnly)
        {
            standby = await TryReadAsync(onStandby: true, required, statements, parameters, read, ct);
            if (standby is (true, var current))
                return current!;
            if (standby is not null)
                StandbyBehind?.Invoke();
        }
        if (Stopwatch.GetTimestamp() >= Volatile.Read(ref primaryLeftAloneUntil))
        {
            if (await TryReadAsync(onStandby: false, required, statements, parameters, read, ct) is (_, var fromPrimary))
                return fromPrimary!;
            Volatile.Write(ref primaryLeftAloneUntil, Stopwatch.GetTimestamp() + (long)(PrimaryLeftAlone.TotalSeconds * Stopwatch.Frequency));
        }
        if (standby is (_, var older))
            return older!;
        try
        {
            return await ReadUnboundedAsync(Anything, statements, parameters, read, ct);
        }
        catch (NpgsqlException e) when (hosts is not null && e is not PostgresException && !ct.IsCancellationRequested)
        {
            // Every server was marked offline by a failed connect (in a failover on a busy host, a TLS handshake can
            // outlast the connect timeout), and Npgsql refuses at once until Host Recheck Seconds have passed: a
            // read answered 503 in 2 ms in the swarm lab. Asked again, each once more.
            hosts.ClearDatabaseStates();
            return await ReadUnboundedAsync(Anything, statements, parameters, read, ct);
        }
    }

    static readonly NpgsqlLogSequenceNumber Anything = new(0);

    /// <summary>The read on a standby or the primary, or null if that server failed or did not answer in time.</summary>
    async Task<(bool Current, T? Value)?> TryReadAsync<T>(bool onStandby, NpgsqlLogSequenceNumber required, string[] statements,
        Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct)
    {
        try
        {
            return await ReadWithinAsync(onStandby, required, statements, parameters, read, readTimeout, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && (e is NpgsqlException { IsTransient: true } or OperationCanceledException
            || e is NpgsqlException and not PostgresException
            || (onStandby && e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName })))
        {
            // A server that went away under a pooled connection, or did not answer in time, or none to be had ("No
            // suitable host", not marked transient by Npgsql: every standby marked offline), or a standby that has
            // not yet replayed the schema's migration (a stack coming up: seen as a 500 in the stack test): a read
            // changes nothing, so another may be asked.
            return null;
        }
    }

    /// <summary>The last resort: on a standby, however far it has replayed, with no time limit.</summary>
    async Task<T> ReadUnboundedAsync<T>(NpgsqlLogSequenceNumber required, string[] statements, Action<NpgsqlParameterCollection> parameters,
        Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct) =>
        (await ReadWithinAsync(onStandby: true, required, statements, parameters, read, Timeout.InfiniteTimeSpan, ct))!.Value.Value!;

    /// <summary>
    /// The read, or null if it did not answer within <paramref name="limit"/>: then it is left to end by itself and
    /// the caller goes on at once.
    /// </summary>
    /// <remarks>
    /// The limit bounds the connecting too. A host that vanished and whose offline mark has expired (Host Recheck
    /// Seconds) is tried again by the next opens, each waiting Npgsql's connect timeout (Timeout, 1 s): in the swarm
    /// lab's partition, GETs on every instance went past nginx's 1.5 s every few seconds. The open itself is not
    /// cancelled: it runs its timeout and marks the host offline for the opens after it.
    /// A read given up is not cancelled either, by the time limit or by the caller's token (the client gone, nginx
    /// giving up): Npgsql cancels a statement by first sending the server a cancel request, over a new connection
    /// opened and read synchronously on a thread-pool thread, which on a vanished host waits the connect timeout.
    /// Waiting for it, a read given up took 2.3 s, not 0.3 s (FrozenStandbyTests); not waiting, the pool's threads
    /// still went to it, one per read given up, and in the lab's partition health checks bounded at 2 s took 3.3 and
    /// 4.5 s while GETs on both instances went past 1.5 s: the pool starved. So the statement runs on until the
    /// server answers (statement_timeout, 10 s) or its connection ends (TCP keepalives, ~10 s on a vanished host),
    /// and its connection goes back to the pool (or is dropped) then.
    /// </remarks>
    async Task<(bool Current, T? Value)?> ReadWithinAsync<T>(bool onStandby, NpgsqlLogSequenceNumber required, string[] statements,
        Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, Task<T>> read, TimeSpan limit, CancellationToken ct)
    {
        var givenUp = new StrongBox<bool>();
        var work = OpenAndRunAsync(onStandby, required, statements, parameters, read, givenUp, ct);
        try
        {
            return await work.WaitAsync(limit, ct);
        }
        catch (TimeoutException) when (!work.IsCompletedSuccessfully)
        {
            Abandon(work, givenUp);
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !work.IsCompleted)
        {
            Abandon(work, givenUp);
            throw;
        }
        catch (TimeoutException)
        {
            return work.Result; // (answered as the time ran out)
        }
    }

    static void Abandon<T>(Task<T> work, StrongBox<bool> givenUp)
    {
        Volatile.Write(ref givenUp.Value, true);
        _ = work.ContinueWith(static done => _ = done.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    async Task<(bool Current, T? Value)> OpenAndRunAsync<T>(bool onStandby, NpgsqlLogSequenceNumber required, string[] statements,
        Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, Task<T>> read, StrongBox<bool> givenUp, CancellationToken ct)
    {
        var connection = await OpenAsync(onStandby ? reads : primary, ct); // (a connect is cancelled without asking the server)
        if (Volatile.Read(ref givenUp.Value))
        {
            await connection.DisposeAsync();
            return default;
        }
        return await RunAsync(connection, onStandby, required, statements, parameters, read, CancellationToken.None); // (see ReadWithinAsync)
    }

    /// <summary>One server, no standbys: the read as it comes, on the hot path of a single-server deployment.</summary>
    async Task<(bool Current, T? Value)> ReadOnceAsync<T>(NpgsqlLogSequenceNumber required, string[] statements,
        Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct) =>
        await RunAsync(await OpenAsync(primary, ct), onStandby: false, required, statements, parameters, read, ct);

    /// <summary>
    /// The read's statements on an open connection, which it closes; its value, and whether it is current: false if
    /// it ran on a standby that had not replayed <paramref name="required"/>.
    /// </summary>
    static async Task<(bool Current, T? Value)> RunAsync<T>(NpgsqlConnection opened, bool onStandby, NpgsqlLogSequenceNumber required,
        string[] statements, Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct)
    {
        await using var connection = opened;
        await using var batch = new NpgsqlBatch(connection);
        if (onStandby)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_last_wal_replay_lsn()")); // null on a primary
        foreach (var sql in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            parameters(command.Parameters);
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (onStandby)
        {
            await reader.ReadAsync(ct);
            var replayed = reader.IsDBNull(0) ? (NpgsqlLogSequenceNumber?)null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(0);
            await reader.NextResultAsync(ct);
            if (replayed < required)
                return (false, await read(reader));
        }
        return (true, await read(reader));
    }
}
