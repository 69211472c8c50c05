using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Hosting.Traffic;

/// <summary>How much one client, and everyone together, may ask of an instance; bound from <see cref="Section"/>.</summary>
public sealed class TrafficOptions : ISettingsSection
{
    public static string Section => "Reviews:Traffic";

    [Setting("Requests a second one client (IP address) may make, sustained; 0: no limit (the load test's setting). Past it: 429 with Retry-After.")]
    [Range(0, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 200;

    [Setting("Requests one client may make at once above that rate.")]
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 400;

    /// <summary>
    /// Load balancers whose X-Forwarded-For names the client (IP addresses or CIDR networks, e.g. 10.0.0.0/8);
    /// from anyone else the header is ignored, so that a client cannot pick its own rate-limit bucket.
    /// </summary>
    [Setting("Load balancers (IPs or CIDR networks; …:0, …:1) whose `X-Forwarded-For` names the client.")]
    public string[] TrustedProxies { get; set; } = [];

    [Setting("Open connections an instance accepts at once; past it, new ones are closed.")]
    [Range(1, long.MaxValue)]
    public long MaxConnections { get; set; } = 10_000;

    [Setting("Pages of over 100 reviews built at once; more wait their turn (the memory they take is bounded by it).")]
    [Range(1, 64)]
    public int LargePageConcurrency { get; set; } = 2;

    [Setting("Seconds a request may take before it is answered 504 and its work cancelled; 0: no limit.")]
    [Range(0, 3600)]
    public int RequestTimeoutSeconds { get; set; } = 30;
}
