namespace Reviews.Hosting;

public static class HealthEndpoints
{
    /// <summary>/health, /health/live and /health/ready: never rate-limited, not in the API's description.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Liveness for load balancers and containers; also the load test's baseline: the cheapest answer this server
        // pipeline can give.
        app.MapGet("/health", () => TypedResults.Text("ok")).ExcludeFromDescription().DisableRateLimiting();
        // For orchestrators and load balancers: live = the process answers; ready = it can serve (database reachable,
        // not shutting down).
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).DisableRateLimiting();
        return app;
    }
}
