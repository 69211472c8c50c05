namespace Reviews.Store;

/// <summary>The review an idempotency key created, and the hash of the body that created it.</summary>
public sealed record KeyedReview(long ReviewId, byte[] RequestHash);
