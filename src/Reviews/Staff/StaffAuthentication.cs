using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Reviews.Staff;

/// <summary>
/// The staff's sign-in, ASP.NET Core's own: JWT bearer authentication (<see cref="AuthOptions"/>) and one policy per
/// staff area. There is no default scheme, so the public endpoints never look at a token: only the staff endpoints'
/// policies authenticate. Every refusal is a problem document (<see cref="StaffRefusals"/>) that says what to do
/// and never repeats the token or why its parser refused it.
/// </summary>
public static class StaffAuthentication
{
    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        // Not even as the only scheme, which ASP.NET Core would otherwise make the default (this switch is how it
        // documents turning that off): a public request is never authenticated.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, options) =>
        {
            var auth = options.Value;
            // The token's claims as they are (`sub`, `role`), not renamed to .NET's long claim types.
            jwt.MapInboundClaims = false;
            var rules = jwt.TokenValidationParameters;
            rules.NameClaimType = "sub";
            rules.RoleClaimType = "role";
            rules.ValidAudience = auth.Audience;
            if (!string.IsNullOrWhiteSpace(auth.Authority))
            {
                jwt.Authority = auth.Authority;
                jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            }
            else
            {
                rules.ValidIssuer = auth.Issuer;
                // Only the one algorithm the key is for: a token may not pick another (none, or RS256 with this key).
                rules.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                // No key: no token can be valid, and every staff endpoint answers 401.
                if (auth.SigningKeyBytes() is { } key)
                    rules.IssuerSigningKey = new SymmetricSecurityKey(key);
            }
            jwt.Events = new JwtBearerEvents { OnChallenge = StaffRefusals.ChallengeAsync };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffRoles.ModerationPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(StaffRoles.Moderator, StaffRoles.Admin))
            .AddPolicy(StaffRoles.PrivacyPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(StaffRoles.Privacy, StaffRoles.Admin))
            .AddPolicy(StaffRoles.AdminPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(StaffRoles.Admin));
        return services.AddSingleton<IAuthorizationMiddlewareResultHandler, StaffRefusals>();
    }

    /// <summary>Who did it, for the audit trail: the token's subject.</summary>
    public static string Actor(System.Security.Claims.ClaimsPrincipal user) => user.FindFirst("sub")?.Value ?? "unknown";
}
