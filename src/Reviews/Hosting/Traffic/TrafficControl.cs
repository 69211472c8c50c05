using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Reviews.Reading;

namespace Reviews.Hosting.Traffic;

/// <summary>
/// Overload and abuse, with ASP.NET Core's own parts: the client's address (from X-Forwarded-For only when a trusted
/// proxy sent it), a token bucket per client (429 with Retry-After past it), a cap on open connections, a time
/// limit per request, and how many large pages are built at once.
/// </summary>
public static class TrafficControl
{
    /// <summary>The parts, each configured from the bound <see cref="TrafficOptions"/> when it is first used.</summary>
    public static IServiceCollection AddTrafficControl(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrafficOptions>>((o, traffic) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear(); // not even loopback by default: only what is configured
            foreach (var proxy in traffic.Value.TrustedProxies)
            {
                if (proxy.Contains('/'))
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                else
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<TrafficOptions>>((o, options) =>
        {
            var traffic = options.Value;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(http =>
                traffic.PermitsPerSecond == 0
                    ? RateLimitPartition.GetNoLimiter(IPAddress.None)
                    : RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress ?? IPAddress.None, _ => new()
                    {
                        TokenLimit = traffic.Burst,
                        TokensPerPeriod = traffic.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    }));
            o.OnRejected = (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"This client may make {traffic.PermitsPerSecond} requests a second; retry after the time in Retry-After." },
                });
            };
        });
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<TrafficOptions>>((o, traffic) =>
            o.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(traffic.Value.RequestTimeoutSeconds) });
        services.AddSingleton(sp => new LargePageGate(sp.GetRequiredService<IOptions<TrafficOptions>>().Value.LargePageConcurrency));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<TrafficOptions>>((k, traffic) =>
            k.Limits.MaxConcurrentConnections = traffic.Value.MaxConnections);
        return services;
    }

    /// <summary>
    /// The client's address, before everything that uses it. Only with proxies configured: with no known proxy
    /// ASP.NET Core's middleware would believe X-Forwarded-For from anyone.
    /// </summary>
    public static WebApplication UseClientAddress(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TrafficOptions>>().Value.TrustedProxies.Length > 0)
            app.UseForwardedHeaders();
        return app;
    }

    public static WebApplication UseTrafficLimits(this WebApplication app)
    {
        var traffic = app.Services.GetRequiredService<IOptions<TrafficOptions>>().Value;
        // No limit, no limiter: even its no-op partition takes a lock per request (measured, docs/hardening.md).
        if (traffic.PermitsPerSecond > 0)
            app.UseRateLimiter();
        if (traffic.RequestTimeoutSeconds > 0)
            app.UseRequestTimeouts();
        return app;
    }
}
