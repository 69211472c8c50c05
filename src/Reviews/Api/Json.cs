using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reviews.Api;

// The legacy contract's shapes. Declaration order is the JSON field order.

public sealed record ReviewList(string Product, int Page, int Count, List<ReviewItem> Results);

public sealed record ReviewItem(
    long ReviewId, short Rating, string? Summary, bool Recommend, string? Response, string Body,
    [property: JsonConverter(typeof(LegacyDateConverter))] DateTime Date,
    string ReviewerName, int Helpfulness, Photo[] Photos);

public sealed record Photo(long Id, string Url);

public sealed record Meta(
    string ProductId, Dictionary<string, string> Ratings, Dictionary<string, string> Recommended,
    Dictionary<string, CharacteristicSummary> Characteristics);

public sealed record CharacteristicSummary(long Id, string? Value);

public sealed record CreatedReview(long ReviewId);

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

/// <summary>Dates as the legacy API wrote them: UTC, milliseconds, a Z (2021-03-17T13:28:37.620Z).</summary>
public sealed class LegacyDateConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTime().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[24];
        value.ToUniversalTime().TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        writer.WriteStringValue(text[..written]);
    }
}
