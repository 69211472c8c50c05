namespace Reviews.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential-ish waits from 5 s to 8 h, 12 attempts in all over 31.7 hours
/// (at least the 24 h a receiver may be down for), then dead: kept for an operator to see and replay.
/// </summary>
public static class RetrySchedule
{
    static readonly TimeSpan[] Waits =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4),
        TimeSpan.FromHours(8), TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    public static int MaxAttempts => Waits.Length + 1;

    /// <summary>How long after failed attempt <paramref name="attempt"/> (from 1) to try again; null: give up.</summary>
    public static TimeSpan? After(int attempt, double scale = 1) =>
        attempt >= 1 && attempt <= Waits.Length ? Waits[attempt - 1] * scale : null;

    /// <summary>The whole schedule, from the first attempt to the last.</summary>
    public static TimeSpan Total => Waits.Aggregate(TimeSpan.Zero, (a, b) => a + b);
}
