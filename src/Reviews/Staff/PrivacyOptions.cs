using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Staff;

/// <summary>How privacy requests are recorded, bound from <see cref="Section"/>.</summary>
public sealed class PrivacyOptions : ISettingsSection, IValidatableObject
{
    public static string Section => "Reviews:Privacy";

    [Setting("The key (base64, at least 256 bits) of the keyed hash (HMAC-SHA256) under which the audit trail records an erased address. A secret: put it in a secret file.",
        Default = "none (the audit trail records no hash of the address)")]
    public string? HashKey { get; set; }

    /// <summary>The key's bytes, or null when there is none.</summary>
    public byte[]? HashKeyBytes() => SecretKey.Decode(HashKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SecretKey.Check(HashKey, nameof(HashKey)) is { } badKey)
            yield return badKey;
    }
}
