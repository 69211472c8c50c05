using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Staff;

/// <summary>
/// How the staff sign in (JWT bearer tokens), bound from <see cref="Section"/>: an OpenID Connect provider's tokens
/// (<see cref="Authority"/>), or tokens signed with a key of the stack's own (<see cref="SigningKey"/>, HS256; `reviews
/// token` makes them). With neither, no token is valid and every staff endpoint answers 401.
/// </summary>
public sealed class AuthOptions : ISettingsSection, IValidatableObject
{
    public static string Section => "Reviews:Auth";

    /// <summary>HS256 keys shorter than this are refused: RFC 7518 asks for a key as long as the hash.</summary>
    public const int MinKeyBytes = 32;

    [Setting("An OpenID Connect provider whose tokens sign the staff in (`https://login.example/realms/shop`); its keys come from its discovery document.",
        Default = "none")]
    public string? Authority { get; set; }

    [Setting("Whether the provider's discovery document must be fetched over https (false only for a test provider).")]
    public bool RequireHttpsMetadata { get; set; } = true;

    [Setting("Without a provider: the HS256 key (base64, at least 256 bits) that `reviews token` signs with. A secret: put it in a secret file.",
        Default = "none (staff endpoints closed unless Authority is set)")]
    public string? SigningKey { get; set; }

    [Setting("The `iss` a token must carry (with a SigningKey; a provider's own is taken from its discovery document).")]
    public string Issuer { get; set; } = "reviews";

    [Setting("The `aud` a token must carry.")]
    public string Audience { get; set; } = "reviews";

    /// <summary>The signing key's bytes, or null when there is none (or it is not valid base64: see Validate).</summary>
    public byte[]? SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
            return null;
        var bytes = new byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey.Trim(), bytes, out var n) ? bytes[..n] : null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The message never repeats the key.
        if (!string.IsNullOrWhiteSpace(SigningKey) && SigningKeyBytes() is not { Length: >= MinKeyBytes })
            yield return new ValidationResult($"must be base64 of at least {MinKeyBytes} bytes (openssl rand -base64 32).", [nameof(SigningKey)]);
        if (!string.IsNullOrWhiteSpace(Authority) && !Uri.TryCreate(Authority, UriKind.Absolute, out _))
            yield return new ValidationResult("must be an absolute URL.", [nameof(Authority)]);
    }
}
