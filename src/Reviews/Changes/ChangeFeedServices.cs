namespace Reviews.Changes;

public static class ChangeFeedServices
{
    /// <summary>
    /// The change feed, and the change positions as its first subscriber: a notice's position must be noted before any
    /// later subscriber (the cache) evicts, so that no answer read after the eviction comes from a standby that lacks
    /// the change. Register the other subscribers after this.
    /// </summary>
    public static IServiceCollection AddChangeFeed(this IServiceCollection services) => services
        .AddSingleton<ChangePositions>()
        .AddSingleton<IChangeSubscriber>(sp => sp.GetRequiredService<ChangePositions>())
        .AddSingleton<ChangeFeed>()
        .AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
}
