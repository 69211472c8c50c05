using System.Reflection;

namespace Reviews.Staff;

/// <summary>
/// /moderation: a small page for the people who moderate (sign in with a token, the queues, publish, remove, answer).
/// Served from the service itself with nothing from elsewhere, like /docs. The page holds no data: every request it
/// makes carries the token and goes through the staff endpoints' checks.
/// </summary>
public static class ModerationPage
{
    static readonly byte[] Html = Read();

    public static RouteHandlerBuilder MapModerationPage(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/moderation", (HttpResponse response) =>
        {
            // Its own script only, no frames, no sending the token anywhere but here.
            response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; " +
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            return TypedResults.Bytes(Html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();

    static byte[] Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("moderation-page/moderation.html")!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
