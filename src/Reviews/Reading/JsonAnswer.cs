namespace Reviews.Reading;

/// <summary>An answer's JSON: bytes (cached, or small enough to be), or a large page in pooled memory.</summary>
public readonly record struct JsonAnswer(byte[] Json, PooledAnswer? Pooled = null);
