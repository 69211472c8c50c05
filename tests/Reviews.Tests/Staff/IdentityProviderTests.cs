using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reviews.Staff;

namespace Reviews.Tests.Staff;

/// <summary>
/// Sign-in through an OpenID Connect provider: a real one on Kestrel here (its discovery document and its keys), RS256
/// tokens it signs accepted, those of another key or issuer refused.
/// </summary>
public sealed class IdentityProviderTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Tokens_of_the_configured_provider_sign_in_and_others_do_not()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "provider-key-1" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = key.KeyId });
        await using var provider = await StartProviderAsync(jwk);
        var issuer = provider.Urls.First();

        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(),
            ("Reviews:Auth:Authority", issuer), ("Reviews:Auth:RequireHttpsMetadata", "false"));

        string Token(SecurityKey signing, string tokenIssuer) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = tokenIssuer,
            Audience = "reviews",
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = "oidc-user", ["role"] = new[] { StaffRoles.Moderator } },
            SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.RsaSha256),
        });

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/moderation/reviews", Token(key, issuer))).StatusCode);
        using var other = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/moderation/reviews",
            Token(new RsaSecurityKey(other) { KeyId = key.KeyId }, issuer))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/moderation/reviews", Token(key, "http://elsewhere"))).StatusCode);
        // The stack's own HS256 tokens mean nothing once a provider is configured.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/moderation/reviews", StaffClient.Token(StaffRoles.Admin))).StatusCode);
    }

    /// <summary>A minimal OpenID Connect provider: the discovery document and the key set, nothing else.</summary>
    static async Task<WebApplication> StartProviderAsync(JsonWebKey jwk)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["urls"] = "http://127.0.0.1:0";
        var app = builder.Build();
        string Issuer() => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(
            JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = Issuer(), ["jwks_uri"] = Issuer() + "/jwks" }), "application/json"));
        app.MapGet("/jwks", () => Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E } },
        }), "application/json"));
        await app.StartAsync();
        return app;
    }
}
