using System.Security.Cryptography;
using System.Text;

namespace Reviews.Webhooks;

/// <summary>
/// Standard Webhooks signing (standardwebhooks.com): the secret is `whsec_` and base64 key bytes; the signature is
/// `v1,` and base64 of HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`.
/// </summary>
public static class WebhookSignature
{
    const string Prefix = "whsec_";

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
        var header = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[header.Length + body.Length];
        header.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(header.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
