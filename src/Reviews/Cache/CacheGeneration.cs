namespace Reviews.Cache;

/// <summary>Which writes an answer has seen: its product's stripe and the whole cache's, read before the answer was.</summary>
public readonly record struct CacheGeneration(long Stripe, long Everything);
