using System.ComponentModel;
using System.Globalization;
using Reviews.Store;

namespace Reviews.Contract;

/// <summary>One review in a <see cref="ReviewList"/>.</summary>
public sealed record ReviewItem(
    long ReviewId,
    [property: Description("1 to 5.")] short Rating,
    string? Summary,
    bool Recommend,
    [property: Description("The seller's answer, or null when there is none.")] string? Response,
    string Body,
    // A string, formatted here: a property with its own JsonConverter takes System.Text.Json's generated code off
    // its fast path for the whole list (docs/read-path.md).
    [property: Description("UTC with milliseconds: yyyy-MM-ddTHH:mm:ss.fffZ.")] string Date,
    string ReviewerName,
    int Helpfulness,
    [property: Description("In photo id order; empty when there are none.")] Photo[] Photos)
{
    /// <summary>Dates as the legacy API wrote them: UTC, milliseconds, a Z (2021-03-17T13:28:37.620Z).</summary>
    const string LegacyDate = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static ReviewItem From(StoredReview review)
    {
        var photos = new Photo[review.Photos.Length];
        for (var i = 0; i < photos.Length; i++)
            photos[i] = new Photo(review.Photos[i].Id, review.Photos[i].Url);
        return new(review.Id, review.Rating, review.Summary, review.Recommend, review.Response, review.Body,
            review.Date.ToUniversalTime().ToString(LegacyDate, CultureInfo.InvariantCulture), review.ReviewerName, review.Helpfulness, photos);
    }
}
