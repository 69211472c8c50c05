namespace Reviews.Store;

/// <summary>A client's name for one POST (its Idempotency-Key header) and a hash of the body it came with.</summary>
public sealed record IdempotencyKey(string Key, byte[] RequestHash);
