using Npgsql;

namespace Reviews.Store;

/// <summary>
/// Writes may hold at most half the pool: writes queued behind a locked row (each until lock_timeout) must not leave
/// reads without a connection. A write that finds no room within a second is told the database is busy. One that
/// PostgreSQL aborted for a deadlock or a serialization failure changed nothing (each is one statement, so one
/// transaction): it runs once more before the failure reaches the client.
/// </summary>
public sealed class WriteGate(int poolSize)
{
    readonly SemaphoreSlim writers = new(Math.Max(1, poolSize / 2));
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    public async Task<T> RunAsync<T>(Func<Task<T>> write)
    {
        if (!await writers.WaitAsync(Wait))
            throw new DatabaseBusyException("Every connection writes may use is taken by a write waiting for a lock.");
        try
        {
            return await write();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            return await write();
        }
        finally
        {
            writers.Release();
        }
    }
}
