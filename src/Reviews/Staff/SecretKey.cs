using System.ComponentModel.DataAnnotations;

namespace Reviews.Staff;

/// <summary>A key given as base64 in a setting (the signing key, the privacy hash key): read, and checked without repeating it.</summary>
public static class SecretKey
{
    /// <summary>Keys shorter than this are refused: HMAC-SHA256 wants a key as long as its hash (RFC 7518, 2104).</summary>
    public const int MinBytes = 32;

    /// <summary>The key's bytes, or null when it is not set (or is not valid base64: see <see cref="Check"/>).</summary>
    public static byte[]? Decode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var n) ? bytes[..n] : null;
    }

    /// <summary>The refusal of a key that is set but unusable, naming the setting and never the key; null when it is fine.</summary>
    public static ValidationResult? Check(string? text, string property) =>
        !string.IsNullOrWhiteSpace(text) && Decode(text) is not { Length: >= MinBytes }
            ? new ValidationResult($"must be base64 of at least {MinBytes} bytes (openssl rand -base64 32).", [property])
            : null;
}
