namespace Reviews.Reading;

public static class ReadingServices
{
    /// <summary>The read service (its <see cref="LargePageGate"/> comes with the traffic limits, Hosting/Traffic).</summary>
    public static IServiceCollection AddReading(this IServiceCollection services) => services.AddSingleton<ReviewReader>();
}
