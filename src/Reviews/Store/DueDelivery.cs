namespace Reviews.Store;

/// <summary>A delivery taken to be sent now: the event, its receiver, and which attempt this is.</summary>
public sealed record DueDelivery(long Id, long EventId, string Type, DateTime At, long ProductId, long ReviewId,
    long SubscriptionId, string Url, string Secret, int Attempt);
