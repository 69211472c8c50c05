using System.ComponentModel;

namespace Reviews.Contract;

// The legacy contract's shapes (docs/contract.md). Declaration order is the JSON field order.

/// <summary>A page of a product's reviews (GET /reviews).</summary>
public sealed record ReviewList(
    [property: Description("The product id, as a string.")] string Product,
    [property: Description("The zero-based index of this page: page=1 in the query answers 0, as the legacy API echoed it.")] int Page,
    [property: Description("The page size used.")] int Count,
    [property: Description("The page's non-reported reviews in the requested order.")] List<ReviewItem> Results);
