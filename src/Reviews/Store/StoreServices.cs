namespace Reviews.Store;

public static class StoreServices
{
    /// <summary>The data sources (<see cref="Database.AddDataSources"/>), and the reads and writes that use them.</summary>
    public static IServiceCollection AddStore(this IServiceCollection services, string connectionString) => services
        .AddDataSources(connectionString)
        .AddSingleton<StoreConnections>()
        .AddSingleton<ReviewQueries>()
        .AddSingleton<ReviewWrites>()
        .AddSingleton<ModerationStore>()
        .AddSingleton<PrivacyStore>()
        .AddSingleton<WebhookStore>();
}
