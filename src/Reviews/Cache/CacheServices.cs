using Reviews.Changes;

namespace Reviews.Cache;

public static class CacheServices
{
    /// <summary>The response cache, and its subscription to the change feed (after the change positions').</summary>
    public static IServiceCollection AddResponseCache(this IServiceCollection services) => services
        .AddSingleton<ResponseCache>()
        .AddSingleton<IChangeSubscriber, CacheSubscriber>();
}
