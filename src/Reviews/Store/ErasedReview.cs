namespace Reviews.Store;

/// <summary>A review erased by a privacy request, and its product (whose cached answers must go).</summary>
public sealed record ErasedReview(long ReviewId, long ProductId);
