using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Reviews.Staff;

/// <summary>Tokens signed with the stack's own key (<see cref="AuthOptions.SigningKey"/>): what `reviews token` prints.</summary>
public static class StaffTokens
{
    public static string Create(AuthOptions auth, string subject, IEnumerable<string> roles, TimeSpan lifetime, DateTime? now = null)
    {
        var key = auth.SigningKeyBytes() ?? throw new InvalidOperationException("No signing key.");
        var issued = now ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + lifetime,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = roles.ToArray() },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
