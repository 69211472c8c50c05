using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Reviews.Api.Contract;
using Reviews.Api.OpenApi;
using Reviews.Api.Traffic;
using Reviews.Cache;
using Reviews.Store;
using Reviews.Telemetry;
using Scalar.AspNetCore;

namespace Reviews.Api;

/// <summary>Builds the web application: configuration, services, error handling, the endpoints and their docs.</summary>
public static class ReviewsApi
{
    /// <summary>
    /// The service, configured from appsettings.json, then the environment (ConnectionStrings__Reviews,
    /// Reviews__Cache__SizeMb, URLS…), then secret files (<see cref="SecretFiles"/>), then <paramref name="settings"/>
    /// (the command line's flags; tests) over all.
    /// </summary>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddSecretFiles().AddInMemoryCollection(settings ?? []);
        var connectionString = builder.Configuration.GetConnectionString(Database.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException($"No database: set ConnectionStrings:{Database.ConnectionStringName} " +
                $"(environment ConnectionStrings__{Database.ConnectionStringName}, or --database).");

        builder.Services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddDataSources(connectionString);
        builder.Services.AddOptions<StandbyOptions>().BindConfiguration(StandbyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ChangePositions>();
        builder.Services.AddOptions<ReadYourWritesOptions>().BindConfiguration(ReadYourWritesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReviewStore>();
        builder.Services.AddSingleton<ReadYourWrites>();
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        builder.Services.AddSingleton<ResponseCache>();
        builder.Services.AddSingleton(sp => new LargePageGate(sp.GetRequiredService<IOptions<TrafficOptions>>().Value.LargePageConcurrency));
        builder.Services.AddSingleton<CacheInvalidation>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CacheInvalidation>());
        builder.Services.AddHostedService<IdempotencyKeyExpiry>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // The contract's JSON, as ReviewsJson.Web writes it, for the answers that go through the framework.
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ReviewsJson.Default);
            o.SerializerOptions.PropertyNamingPolicy = ReviewsJson.Web.Options.PropertyNamingPolicy;
            o.SerializerOptions.Encoder = ReviewsJson.Encoder;
            // Numbers are numbers (the web default also reads them from strings, and documents them as either).
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsDefaults.Customize);
        builder.Services.AddOptions<CrossOriginOptions>().BindConfiguration(CrossOriginOptions.Section);
        builder.Services.AddCors();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddOpenApi(ContractDocument.Configure);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.AddTrafficControl();
        builder.AddTelemetry();
        services?.Invoke(builder.Services); // tests: an in-memory exporter, say

        var app = builder.Build();
        app.Use(app.Services.GetRequiredService<ShutdownDrain>().CloseConnectionsWhileDraining);
        app.UseTelemetry();
        app.UseClientAddress();
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // 404 and 405 answered with problem documents too
        if (app.Services.GetRequiredService<IOptions<CrossOriginOptions>>().Value.AllowedOrigins is { Length: > 0 } origins)
            app.UseCors(cors => cors.WithOrigins(origins).WithMethods("GET", "POST", "PUT")
                .WithHeaders("Content-Type", "Idempotency-Key").WithExposedHeaders("Location", "Retry-After"));
        app.UseTrafficLimits();
        app.MapReviews();
        // Liveness for load balancers and containers, never rate-limited; also the load test's baseline: the
        // cheapest answer this server pipeline can give.
        app.MapGet("/health", () => TypedResults.Text("ok")).ExcludeFromDescription().DisableRateLimiting();
        // For orchestrators and load balancers: live = the process answers; ready = it can serve (database reachable,
        // not shutting down).
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).DisableRateLimiting();
        app.MapOpenApi(); // /openapi/v1.json
        // The docs page works offline: no fonts from a CDN, no telemetry, none of Scalar's hosted AI features.
        app.MapScalarApiReference("/docs", o => o.WithTitle("Atelier Ratings & Reviews")
            .DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp().HideDeveloperTools());
        return app;
    }
}
