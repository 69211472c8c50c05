namespace Reviews.Store;

/// <summary>A delivery as an operator sees it (the dead-letter list).</summary>
public sealed record DeliveryRecord(long Id, long EventId, string Type, long ReviewId, long SubscriptionId, string Url,
    string State, int Attempts, DateTime EventAt, int? LastStatus, string? LastError);
