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
    public byte[]? HashKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(HashKey))
            return null;
        var bytes = new byte[HashKey.Length];
        return Convert.TryFromBase64String(HashKey.Trim(), bytes, out var n) ? bytes[..n] : null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(HashKey) && HashKeyBytes() is not { Length: >= AuthOptions.MinKeyBytes })
            yield return new ValidationResult($"must be base64 of at least {AuthOptions.MinKeyBytes} bytes (openssl rand -base64 32).", [nameof(HashKey)]);
    }
}
