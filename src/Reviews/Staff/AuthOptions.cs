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

    /// <summary>The signing key's bytes, or null when there is none.</summary>
    public byte[]? SigningKeyBytes() => SecretKey.Decode(SigningKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SecretKey.Check(SigningKey, nameof(SigningKey)) is { } badKey)
            yield return badKey;
        if (!string.IsNullOrWhiteSpace(Authority) && !Uri.TryCreate(Authority, UriKind.Absolute, out _))
            yield return new ValidationResult("must be an absolute URL.", [nameof(Authority)]);
    }
}
