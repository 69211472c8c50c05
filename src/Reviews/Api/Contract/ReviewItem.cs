using System.ComponentModel;
using System.Text.Json.Serialization;
using Reviews.Store;

namespace Reviews.Api.Contract;

/// <summary>One review in a <see cref="ReviewList"/>.</summary>
public sealed record ReviewItem(
    long ReviewId,
    [property: Description("1 to 5.")] short Rating,
    string? Summary,
    bool Recommend,
    [property: Description("The seller's answer, or null when there is none.")] string? Response,
    string Body,
    [property: JsonConverter(typeof(LegacyDateConverter)), Description("UTC with milliseconds: yyyy-MM-ddTHH:mm:ss.fffZ.")] DateTime Date,
    string ReviewerName,
    int Helpfulness,
    [property: Description("In photo id order; empty when there are none.")] Photo[] Photos)
{
    public static ReviewItem From(StoredReview review)
    {
        var photos = new Photo[review.Photos.Length];
        for (var i = 0; i < photos.Length; i++)
            photos[i] = new Photo(review.Photos[i].Id, review.Photos[i].Url);
        return new(review.Id, review.Rating, review.Summary, review.Recommend, review.Response, review.Body, review.Date,
            review.ReviewerName, review.Helpfulness, photos);
    }
}
