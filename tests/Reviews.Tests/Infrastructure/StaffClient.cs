using System.Net.Http.Headers;
using Reviews.Staff;

namespace Reviews.Tests.Infrastructure;

/// <summary>Staff tokens for a test server, and requests sent with them.</summary>
public static class StaffClient
{
    /// <summary>The test servers' signing key (a test value, not a secret).</summary>
    public static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static readonly string HashKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    /// <summary>The settings that give a test server its staff sign-in.</summary>
    public static (string, string)[] Settings { get; } =
        [("Reviews:Auth:SigningKey", SigningKey), ("Reviews:Privacy:HashKey", HashKey)];

    public static AuthOptions Auth(string? key = null) => new() { SigningKey = key ?? SigningKey };

    public static string Token(params string[] roles) => StaffTokens.Create(Auth(), "tester", roles, TimeSpan.FromMinutes(5));

    public static Task<HttpResponseMessage> SendAsync(this ApiServer api, HttpMethod method, string path, string? token, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        return api.Client.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
