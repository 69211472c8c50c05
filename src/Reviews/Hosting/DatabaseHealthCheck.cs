using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Reviews.Hosting;

/// <summary>
/// Readiness: the primary answers a trivial query within two seconds, and the instance is not shutting down (on
/// SIGTERM it says so at once, so that a load balancer checking it stops sending work before the listener closes).
/// The primary, not any server: an instance cut off from it but not from the standbys could answer reads but no write,
/// so it steps aside for instances that can do both (when none can, nginx keeps them all, deploy/lb/entrypoint.sh).
/// </summary>
public sealed class DatabaseHealthCheck([FromKeyedServices(Store.Database.Primary)] NpgsqlDataSource dataSource,
    IHostApplicationLifetime lifetime, ShutdownDrain drain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested || drain.Draining)
            return HealthCheckResult.Unhealthy("shutting down");
        // Given up after 2 s without waiting for Npgsql to cancel it: on a server that hangs (its host cut off), a
        // statement cancelled by token took 11 s and more (until TCP keepalives gave up the connection), and a
        // balancer asking meanwhile saw no answer at all, not "not ready". (Nor cancelled with the request: Npgsql
        // cancels synchronously, on the thread that cancels.)
        var ping = PingAsync();
        try
        {
            await ping.WaitAsync(TimeSpan.FromSeconds(2), ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            _ = ping.ContinueWith(static done => _ = done.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return HealthCheckResult.Unhealthy("the database does not answer");
        }
    }

    async Task PingAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync();
    }
}
