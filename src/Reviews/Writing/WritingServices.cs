namespace Reviews.Writing;

public static class WritingServices
{
    public static IServiceCollection AddWriting(this IServiceCollection services) => services
        .AddSingleton<ReviewWriter>()
        .AddSingleton<StaffWriter>()
        .AddHostedService<IdempotencyKeyExpiry>();
}
