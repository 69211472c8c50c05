namespace Reviews.Contract;

/// <summary>The answer to POST /reviews (clients need not read it: Location names the review too).</summary>
public sealed record CreatedReview(long ReviewId);
