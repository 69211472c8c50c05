using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Reviews.Store;

namespace Reviews.Hosting;

/// <summary>
/// A database that cannot be reached, or that is too busy to finish a request in time (a lock or statement
/// timeout, a conflict that persisted), is a 503 with Retry-After, so clients and load balancers back off and
/// retry; the two say which they are. Anything else falls through to the generic 500 problem (no stack trace
/// leaves the server).
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (retryAfter, title, detail) = exception switch
        {
            _ when IsBusy(exception) => ("1", "Database busy",
                "The review database was too busy with other writes to finish this request in time; nothing was changed. Retry shortly."),
            _ when IsUnavailable(exception) => ("5", "Database unavailable", "The review database cannot be reached; retry shortly."),
            _ => default,
        };
        if (title is null)
            return false;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfter;
        return await problems.TryWriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = { Title = title, Detail = detail, Status = 503 },
        });
    }

    static bool IsBusy(Exception exception) => exception is DatabaseBusyException or PostgresException
    {
        SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled,
    };

    static bool IsUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or TimeoutException } => true,
        // Several hosts, none of the kind asked for (no primary for a write while one is restarting or being
        // promoted), or none reachable: Npgsql says so in a plain NpgsqlException.
        NpgsqlException { InnerException: AggregateException } => true,
        NpgsqlException { Message: "No suitable host was found." } => true,
        PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.TooManyConnections } => true,
        _ => false,
    };
}
