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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer");
        }
    }
}
