using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Api;

/// <summary>How long a client that wrote reads around the cache; bound from <see cref="Section"/>.</summary>
public sealed class ReadYourWritesOptions : ISettingsSection
{
    public static string Section => "Reviews:ReadYourWrites";

    /// <summary>
    /// Seconds after an acknowledged write during which the same client's reads skip cached answers (on any instance);
    /// well above the time every instance takes to hear of a write (docs/deployment.md). 0 turns it off.
    /// </summary>
    [Setting("After a write, that client's reads skip the cache for this many seconds, on any instance (a cookie); 0: off.")]
    [Range(0, 3600)]
    public int Seconds { get; set; } = 10;
}
