using Microsoft.AspNetCore.Http.HttpResults;

namespace Reviews.Api;

/// <summary>The API's error answers: RFC 9457 problem documents with a detail a person can act on.</summary>
public static class Problems
{
    public const string InvalidProductId = "Error: invalid product_id provided";
    public const string InvalidReview = "Error: Review body contains invalid entries";

    public static ProblemHttpResult Unprocessable(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Unprocessable request", extensions: extensions);

    public static ProblemHttpResult InvalidEntries(Dictionary<string, string> errors) =>
        Unprocessable(InvalidReview, new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult ReviewNotFound(long reviewId) =>
        TypedResults.Problem($"No review with review_id {reviewId}.", statusCode: StatusCodes.Status404NotFound,
            title: "Review not found");
}
