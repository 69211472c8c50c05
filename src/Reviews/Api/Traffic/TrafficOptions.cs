using System.ComponentModel.DataAnnotations;

namespace Reviews.Api.Traffic;

/// <summary>How much one client, and everyone together, may ask of an instance; bound from <see cref="Section"/>.</summary>
public sealed class TrafficOptions
{
    public const string Section = "Reviews:Traffic";

    /// <summary>Requests a second one client (an IP address) may make, sustained; 0 for no limit.</summary>
    [Range(0, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>Requests one client may make at once above the sustained rate.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 400;

    /// <summary>
    /// Load balancers whose X-Forwarded-For names the client (IP addresses or CIDR networks, e.g. 10.0.0.0/8);
    /// from anyone else the header is ignored, so that a client cannot pick its own rate-limit bucket.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Open connections an instance accepts at once; past it, new ones are closed.</summary>
    [Range(1, long.MaxValue)]
    public long MaxConnections { get; set; } = 10_000;

    /// <summary>Large pages (over 100 reviews) built at once; more wait their turn (LargePageGate).</summary>
    [Range(1, 64)]
    public int LargePageConcurrency { get; set; } = 2;

    /// <summary>Seconds a request may take before it is answered 504 and its work cancelled; 0 for no limit.</summary>
    [Range(0, 3600)]
    public int RequestTimeoutSeconds { get; set; } = 30;
}
