using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reviews.Api.Contract;

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
