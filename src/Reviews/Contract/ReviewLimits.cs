namespace Reviews.Contract;

/// <summary>
/// The limits of a new review's fields, once: the body's parser (Writing/NewReviewParser.cs) enforces them and the
/// OpenAPI document (<see cref="ReviewRequest"/>) states them.
/// </summary>
public static class ReviewLimits
{
    public const int MinRating = 1, MaxRating = 5;
    public const int MaxSummary = 60;
    public const int MaxBody = 1000;
    public const int MaxName = 60;
    public const int MaxEmail = 60;
    public const int MaxPhotos = 5;
    public const int MaxPhotoUrl = Validation.TextRules.MaxUrlLength;
}
