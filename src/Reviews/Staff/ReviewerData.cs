using Reviews.Store;

namespace Reviews.Staff;

/// <summary>Everything stored about one reviewer (GET /privacy/reviews): the right of access.</summary>
public sealed record ReviewerData(string Email, List<ReviewerRecord> Reviews);
