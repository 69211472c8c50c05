using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reviews.Staff;

namespace Reviews.Tests.Staff;

/// <summary>
/// Every way a staff request is refused (401: no token, a bad signature, alg none, expired, wrong issuer or audience,
/// no key configured; 403: the wrong role), each as a problem document, and the tokens kept out of every log line.
/// </summary>
public sealed class SignInTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    const string Queue = "/moderation/reviews?state=reported";
    const string Privacy = "/privacy/reviews?email=fun@example.com";

    readonly ConcurrentQueue<string> logged = new();

    async Task<ApiServer> StartAsync(params (string, string)[] settings) =>
        await ApiServer.StartAsync(await NewSeededDatabaseAsync(), services => services.AddLogging(b => b
            .SetMinimumLevel(LogLevel.Trace).AddFilter(_ => true).AddProvider(new Capture(logged))), settings);

    static string Sign(Dictionary<string, object> claims, string key, string algorithm = SecurityAlgorithms.HmacSha256) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key)), algorithm),
        });

    static Dictionary<string, object> Claims(string issuer = "reviews", string audience = "reviews", int expiresInSeconds = 300) => new()
    {
        ["sub"] = "tester",
        ["role"] = "moderator",
        ["iss"] = issuer,
        ["aud"] = audience,
        ["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
        ["nbf"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.AddSeconds(expiresInSeconds).ToUnixTimeSeconds(),
    };

    /// <summary>An unsigned token: header {"alg":"none"}, the claims, and an empty signature.</summary>
    static string Unsigned(Dictionary<string, object> claims) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." +
        Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims)) + ".";

    static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.Contains(detail, (string)problem["detail"]!);
    }

    [Fact]
    public async Task Every_refusal_is_a_401_or_403_problem_and_no_token_is_ever_logged()
    {
        await using var api = await StartAsync([.. StaffClient.Settings, ("Logging:LogLevel:Default", "Trace"),
            ("Logging:LogLevel:Microsoft.AspNetCore", "Trace"), ("Logging:LogLevel:Microsoft.IdentityModel", "Trace")]);
        var otherKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        var refused = new (string Name, string? Token, HttpStatusCode Status, string Detail)[]
        {
            ("no token", null, HttpStatusCode.Unauthorized, "Sign in"),
            ("not a token", "not-a-jwt", HttpStatusCode.Unauthorized, "not valid here"),
            ("another key", Sign(Claims(), otherKey), HttpStatusCode.Unauthorized, "not valid here"),
            ("alg none", Unsigned(Claims()), HttpStatusCode.Unauthorized, "not valid here"),
            ("expired", Sign(Claims(expiresInSeconds: -3600), StaffClient.SigningKey), HttpStatusCode.Unauthorized, "expired"),
            ("wrong issuer", Sign(Claims(issuer: "someone-else"), StaffClient.SigningKey), HttpStatusCode.Unauthorized, "not valid here"),
            ("wrong audience", Sign(Claims(audience: "another-api"), StaffClient.SigningKey), HttpStatusCode.Unauthorized, "not valid here"),
            ("privacy role at moderation", StaffClient.Token(StaffRoles.Privacy), HttpStatusCode.Forbidden, "moderator or admin"),
        };
        foreach (var (name, token, status, detail) in refused)
        {
            var response = await api.SendAsync(HttpMethod.Get, Queue, token);
            await AssertRefused(response, status, detail);
            if (status == HttpStatusCode.Unauthorized)
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.True(response.StatusCode == status, name);
        }
        await AssertRefused(await api.SendAsync(HttpMethod.Get, Privacy, StaffClient.Token(StaffRoles.Moderator)), HttpStatusCode.Forbidden, "privacy or admin");
        await AssertRefused(await api.SendAsync(HttpMethod.Post, "/moderation/reviews/1/remove", null), HttpStatusCode.Unauthorized, "Sign in");

        // The right roles pass; admin has both.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, Queue, StaffClient.Token(StaffRoles.Moderator))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, Privacy, StaffClient.Token(StaffRoles.Privacy))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, Queue, StaffClient.Token(StaffRoles.Admin))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, Privacy, StaffClient.Token(StaffRoles.Admin))).StatusCode);
        // The public endpoints stay anonymous, and ignore a bad token.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/reviews?product_id=1", "not-a-jwt")).StatusCode);

        await api.StopAsync();
        // The capture saw the handler's own account of each failure (so a token in it would have been caught).
        Assert.Contains(logged, line => line.StartsWith("Microsoft.AspNetCore.Authentication.JwtBearer", StringComparison.Ordinal)
            && line.Contains("expired", StringComparison.OrdinalIgnoreCase));
        foreach (var token in refused.Select(r => r.Token).OfType<string>().Where(t => t.Length > 20))
        {
            var signature = token[(token.LastIndexOf('.') + 1)..];
            var payload = token.Split('.')[1];
            Assert.DoesNotContain(logged, line => line.Contains(payload, StringComparison.Ordinal)
                || signature.Length > 0 && line.Contains(signature, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task With_no_key_and_no_provider_every_staff_endpoint_is_closed()
    {
        await using var api = await StartAsync();
        foreach (var (method, path) in new[] { (HttpMethod.Get, Queue), (HttpMethod.Post, "/moderation/reviews/1/publish"), (HttpMethod.Delete, Privacy) })
            await AssertRefused(await api.SendAsync(method, path, StaffClient.Token(StaffRoles.Admin)), HttpStatusCode.Unauthorized, "not valid here");
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM staff.audit"));
    }

    [Fact]
    public async Task A_short_signing_key_stops_the_service_without_printing_it()
    {
        var shortKey = Convert.ToBase64String(Encoding.ASCII.GetBytes("sixteen-byte-key"));
        var database = await NewSeededDatabaseAsync();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ApiServer.StartAsync(database, ("Reviews:Auth:SigningKey", shortKey)));
        Assert.Contains("SigningKey", e.Message);
        Assert.DoesNotContain(shortKey, e.Message);
    }

    sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);

        public void Dispose()
        {
        }

        sealed class Logger(ConcurrentQueue<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
