using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Reviews.Configuration;

namespace Reviews.Telemetry;

/// <summary>OpenTelemetry for the service: what is measured, and where it goes.</summary>
public static class TelemetryExtensions
{
    /// <summary>The header nginx passes its request id in (deploy/lb/nginx.conf).</summary>
    public const string RequestIdHeader = "X-Request-Id";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        // Which parts to add at all is decided here, so these options are read now (and bound with the others too).
        var options = SettingsCatalog.Read<TelemetryOptions>(builder.Configuration);
        var otlp = OtlpConfigured(builder.Configuration);
        var traces = options.Traces || otlp;

        // Logs for machines when no one watches a terminal (a container): one JSON object a line, scopes included.
        if (Console.IsOutputRedirected && string.IsNullOrWhiteSpace(builder.Configuration["Logging:Console:FormatterName"]))
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);

        builder.Services.AddSingleton<ReviewsMetrics>();
        if (!options.Metrics && !traces)
            return builder;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("reviews", serviceInstanceId: Environment.MachineName));
        if (options.Metrics)
            telemetry.WithMetrics(metrics => metrics
                // http.server.request.duration by route and status, active requests; Kestrel's connections. Not
                // ASP.NET Core's other meters (routing attempts, memory pool rentals): measures on every request.
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddRuntimeInstrumentation()      // GC, thread pool, exceptions
                .AddProcessInstrumentation()      // CPU, memory
                .AddNpgsqlInstrumentation()       // pool usage, waits for a connection, command durations
                .AddMeter(ReviewsMetrics.MeterName)
                .AddPrometheusExporter());
        if (traces)
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsInternal(http.Request.Path))
                .AddNpgsql());
        if (otlp)
            telemetry.UseOtlpExporter(); // endpoint, protocol, headers: the standard OTEL_EXPORTER_OTLP_* variables
        return builder;
    }

    /// <summary>
    /// /metrics for Prometheus (not through the deploy's nginx), and the request id nginx gives each request on its
    /// span and in its log scope.
    /// </summary>
    public static WebApplication UseTelemetry(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Headers[RequestIdHeader] is [{ Length: >= 1 and <= 128 } id] && id.All(c => c is > ' ' and <= '~'))
            {
                context.TraceIdentifier = id;
                Activity.Current?.SetTag("http.request.header.x_request_id", id);
            }
            return next(context);
        });
        app.Services.GetRequiredService<ReviewsMetrics>(); // its instruments exist from the start, not from the first write
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Metrics)
            app.MapPrometheusScrapingEndpoint().ExcludeFromDescription().DisableRateLimiting();
        return app;
    }

    /// <summary>Whether the standard OTEL_EXPORTER_OTLP_* settings name somewhere to export to.</summary>
    public static bool OtlpConfigured(IConfiguration configuration) =>
        new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" }
            .Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    static bool IsInternal(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
