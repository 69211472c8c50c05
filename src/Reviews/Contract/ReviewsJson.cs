using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Reviews.Contract;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReviewList))]
[JsonSerializable(typeof(Meta))]
[JsonSerializable(typeof(CreatedReview))]
public sealed partial class ReviewsJson : JsonSerializerContext
{
    /// <summary>
    /// The contract's escaping: only what JSON requires (\" rather than \u0022, ' and &amp; as they are), as the
    /// legacy API wrote it. Its answers go out as application/json, never into HTML.
    /// </summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>
    /// The contract's JSON: snake_case. The escaping is the writer's (<see cref="Writing"/>), not set here: options
    /// with an Encoder take System.Text.Json off the generated fast path (docs/read-path.md).
    /// </summary>
    public static ReviewsJson Web { get; } = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    /// <summary>How the contract's JSON is written.</summary>
    public static JsonWriterOptions Writing { get; } = new() { Encoder = Encoder };

    [ThreadStatic]
    static ArrayBufferWriter<byte>? buffer;

    /// <summary>The value's JSON, as the contract writes it.</summary>
    public static byte[] ToUtf8Bytes<T>(T value, JsonTypeInfo<T> type)
    {
        var output = buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(output, Writing))
            JsonSerializer.Serialize(writer, value, type);
        return output.WrittenSpan.ToArray();
    }
}
