using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Reviews.Store;

/// <summary>
/// The store's connections. Writes go to the primary. Reads go to a standby when the connection string names several
/// hosts (Npgsql's prefer-standby), and count only if the standby had replayed what the caller requires (a WAL
/// position; Changes/ChangePositions.cs says which); else, and with no standby up, to the primary.
/// </summary>
public sealed class StoreConnections([FromKeyedServices(Database.Primary)] NpgsqlDataSource primary,
    [FromKeyedServices(Database.Reads)] NpgsqlDataSource reads)
{
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
    /// standby that has replayed <paramref name="required"/>, else on the primary, and reads the results.
    /// </summary>
    public async Task<T> ReadAsync<T>(NpgsqlLogSequenceNumber required, string[] statements, Action<NpgsqlParameterCollection> parameters,
        Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct)
    {
        var onStandby = standbys && required != PrimaryOnly;
        while (true)
        {
            try
            {
                var (current, value) = await ReadOnceAsync(onStandby, required, statements, parameters, read, ct);
                if (current)
                    return value!;
                StandbyBehind?.Invoke();
            }
            catch (NpgsqlException e) when (onStandby && e.IsTransient && !ct.IsCancellationRequested)
            {
                // A standby that went away under a pooled connection: a read changes nothing, so it goes to the primary.
            }
            onStandby = false;
        }
    }

    /// <summary>The read's value, unless it ran on a standby that had not replayed <paramref name="required"/>.</summary>
    async Task<(bool Current, T? Value)> ReadOnceAsync<T>(bool onStandby, NpgsqlLogSequenceNumber required, string[] statements,
        Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await OpenAsync(onStandby ? reads : primary, ct);
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
            if (replayed < required)
                return (false, default);
            await reader.NextResultAsync(ct);
        }
        return (true, await read(reader));
    }
}
