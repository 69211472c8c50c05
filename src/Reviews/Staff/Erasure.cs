namespace Reviews.Staff;

/// <summary>What a privacy erasure did (DELETE /privacy/reviews): how many reviews, and which.</summary>
public sealed record Erasure(int Erased, long[] ReviewIds);
