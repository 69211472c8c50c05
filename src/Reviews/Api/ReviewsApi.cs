using Npgsql;
using Reviews.Store;

namespace Reviews.Api;

/// <summary>Builds the web application: services, error handling and the review endpoints.</summary>
public static class ReviewsApi
{
    public static WebApplication Build(string connectionString, string[]? urls = null, CacheOptions? cache = null)
    {
        cache ??= new CacheOptions();
        var builder = WebApplication.CreateSlimBuilder();
        if (urls is { Length: > 0 })
            builder.WebHost.UseUrls(urls);

        builder.Services.AddSingleton(_ => Database.CreateDataSource(connectionString));
        builder.Services.AddSingleton<ReviewStore>();
        builder.Services.AddSingleton(new ResponseCache(cache));
        builder.Services.AddSingleton(sp => new CacheInvalidation(sp.GetRequiredService<ResponseCache>(),
            sp.GetRequiredService<NpgsqlDataSource>(), connectionString, sp.GetRequiredService<ILogger<CacheInvalidation>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CacheInvalidation>());
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // The contract's JSON, as ReviewsJson.Web writes it, for the answers that go through the framework.
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ReviewsJson.Default);
            o.SerializerOptions.PropertyNamingPolicy = ReviewsJson.Web.Options.PropertyNamingPolicy;
            o.SerializerOptions.Encoder = ReviewsJson.Web.Options.Encoder;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // 404 and 405 answered with problem documents too
        app.MapReviews();
        // Liveness for load balancers and containers; also the load test's baseline: the cheapest answer
        // this server pipeline can give.
        app.MapGet("/health", () => TypedResults.Text("ok"));
        return app;
    }
}
