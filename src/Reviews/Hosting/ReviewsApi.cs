using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Reviews.Api;
using Reviews.Api.OpenApi;
using Reviews.Cache;
using Reviews.Changes;
using Reviews.Configuration;
using Reviews.Contract;
using Reviews.Hosting.Traffic;
using Reviews.Reading;
using Reviews.Staff;
using Reviews.Store;
using Reviews.Telemetry;
using Reviews.Webhooks;
using Reviews.Writing;
using Scalar.AspNetCore;

namespace Reviews.Hosting;

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

        builder.Services.AddServiceSettings()       // every options class (ServiceSettings.Sections)
            .AddStore(connectionString)             // Store/: the data sources, the SQL
            .AddChangeFeed()                        // Changes/: notices between instances; the change positions hear them first,
            .AddResponseCache()                     // Cache/: ...then the response cache
            .AddReading()                           // Reading/: the read-through of lists and metas
            .AddWriting()                           // Writing/: POSTs and votes, and what they announce
            .AddSingleton<ReadYourWrites>()
            .AddSingleton<ShutdownDrain>()
            .AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>())
            .AddTrafficControl()
            .AddStaffAuthentication()               // Staff/: sign-in for the staff endpoints (the public ones stay anonymous)
            .AddWebhooks()                          // Webhooks/: events delivered to other systems, off the request path
            .ConfigureHttpJsonOptions(o =>
            {
                // The contract's JSON, as ReviewsJson.Web writes it, for the answers that go through the framework.
                o.SerializerOptions.TypeInfoResolverChain.Insert(0, ReviewsJson.Default);
                o.SerializerOptions.PropertyNamingPolicy = ReviewsJson.Web.Options.PropertyNamingPolicy;
                o.SerializerOptions.Encoder = ReviewsJson.Encoder;
                // Numbers are numbers (the web default also reads them from strings, and documents them as either).
                o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            })
            .AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsDefaults.Customize)
            .AddCors()
            .AddExceptionHandler<DatabaseUnavailableHandler>()
            .AddOpenApi(ContractDocument.Configure)
            .AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
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
                .WithHeaders("Content-Type", ReviewEndpoints.IdempotencyKeyHeader).WithExposedHeaders("Location", "Retry-After"));
        app.UseTrafficLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapReviews();
        app.MapModeration();
        app.MapPrivacy();
        app.MapWebhooks();
        app.MapModerationPage();
        app.MapHealth();
        app.MapOpenApi(); // /openapi/v1.json
        // The docs page works offline: no fonts from a CDN, no telemetry, none of Scalar's hosted AI features.
        app.MapScalarApiReference("/docs", o => o.WithTitle("Atelier Ratings & Reviews")
            .DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp().HideDeveloperTools());
        return app;
    }
}
