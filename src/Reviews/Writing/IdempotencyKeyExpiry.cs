using Reviews.Store;

namespace Reviews.Writing;

/// <summary>Forgets idempotency keys once they are a day old, every hour (each instance; deleting twice is harmless).</summary>
public sealed class IdempotencyKeyExpiry(ReviewWrites store, ILogger<IdempotencyKeyExpiry> log) : BackgroundService
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        try
        {
            do
            {
                try
                {
                    await store.ForgetKeysOlderThanAsync(KeptFor, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Could not forget old idempotency keys ({Message}); trying again in an hour.", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
