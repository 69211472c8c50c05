using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reviews.Contract;

/// <summary>
/// The body of POST /reviews, as the OpenAPI document describes it. The endpoint does not bind it: it reads the
/// JSON itself (NewReviewParser) so that every broken rule is named against its field.
/// </summary>
public sealed record ReviewRequest(
    [property: Required, Description("A positive integer.")] long ProductId,
    [property: Required, Range(ReviewLimits.MinRating, ReviewLimits.MaxRating)] int Rating,
    [property: Required, Length(1, ReviewLimits.MaxBody)] string Body,
    [property: Required] bool Recommend,
    [property: Required, Length(1, ReviewLimits.MaxName), Description("Shown as reviewer_name.")] string Name,
    [property: Required, Length(1, ReviewLimits.MaxEmail), Description("Looks like an address: x@y.z. Never shown.")] string Email,
    [property: MaxLength(ReviewLimits.MaxSummary), Description("Optional; missing means empty.")] string? Summary = null,
    [property: MaxLength(ReviewLimits.MaxPhotos), Description("Absolute http(s) URLs of at most 2048 characters each (TextRules.MaxUrlLength).")] string[]? Photos = null,
    [property: Description("Characteristic ids of this product (as strings) to ratings from 1 to 5.")] Dictionary<string, int>? Characteristics = null);
