namespace Reviews.Tests.Changes;

/// <summary>A clock that moves only when a test says so (timestamps in milliseconds).</summary>
sealed class ManualClock : TimeProvider
{
    public long Milliseconds { get; set; }

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Milliseconds;
}
