using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Reviews.Api;

/// <summary>
/// A database that cannot be reached is a 503 with Retry-After, so clients and load balancers back off
/// and retry; anything else falls through to the generic 500 problem (no stack trace leaves the server).
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!IsUnavailable(exception))
            return false;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = { Title = "Database unavailable", Detail = "The review database cannot be reached; retry shortly.", Status = 503 },
        });
    }

    static bool IsUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or TimeoutException } => true,
        PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.TooManyConnections } => true,
        _ => false,
    };
}
