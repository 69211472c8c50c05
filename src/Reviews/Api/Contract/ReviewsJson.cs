using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reviews.Api.Contract;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReviewList))]
[JsonSerializable(typeof(Meta))]
[JsonSerializable(typeof(CreatedReview))]
public sealed partial class ReviewsJson : JsonSerializerContext
{
    /// <summary>
    /// The contract's JSON: snake_case, and escaping only what JSON requires (\" rather than \u0022, ' and &amp;
    /// as they are), as the legacy API wrote it. Its answers go out as application/json, never into HTML.
    /// </summary>
    public static ReviewsJson Web { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
