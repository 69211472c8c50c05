using System.ComponentModel.DataAnnotations;

namespace Reviews.Api;

/// <summary>How long a client that wrote reads around the cache; bound from <see cref="Section"/>.</summary>
public sealed class ReadYourWritesOptions
{
    public const string Section = "Reviews:ReadYourWrites";

    /// <summary>
    /// Seconds after an acknowledged write during which the same client's reads skip cached answers (on any instance);
    /// well above the time every instance takes to hear of a write (docs/deployment.md). 0 turns it off.
    /// </summary>
    [Range(0, 3600)]
    public int Seconds { get; set; } = 10;
}
