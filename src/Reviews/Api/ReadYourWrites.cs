using System.Globalization;
using Microsoft.Extensions.Options;

namespace Reviews.Api;

/// <summary>
/// A client's reads reflect its own writes on every instance behind a load balancer. Other instances hear of a write
/// through a notice that takes milliseconds, but the writer's next request can beat it there. So an acknowledged
/// write also answers with a short-lived cookie, and a read that carries it is answered from the database rather
/// than from the cache (the way Rails' database selector sends a writer's reads to the primary for a while). Only
/// the writer pays, and only for a few seconds; everyone else is bounded by the notice's delivery.
/// </summary>
public sealed class ReadYourWrites(IOptions<ReadYourWritesOptions> options)
{
    public const string Cookie = "reviews_wrote";

    readonly int seconds = options.Value.Seconds;

    /// <summary>Marks the response to an acknowledged write.</summary>
    public void Wrote(HttpResponse response)
    {
        if (seconds == 0)
            return;
        var until = DateTimeOffset.UtcNow.AddSeconds(seconds).ToUnixTimeMilliseconds();
        response.Cookies.Append(Cookie, until.ToString(CultureInfo.InvariantCulture), new CookieOptions
        {
            MaxAge = TimeSpan.FromSeconds(seconds),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
        });
    }

    /// <summary>Whether the request comes from a client that wrote moments ago (its cookie, not yet expired).</summary>
    public bool RecentlyWrote(HttpRequest request)
    {
        if (seconds == 0 || !request.Cookies.TryGetValue(Cookie, out var value)
            || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var until))
            return false;
        // A client that keeps the cookie past its age, or makes one up, gains a few uncached reads at most.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return until > now && until <= now + seconds * 1000L;
    }
}
