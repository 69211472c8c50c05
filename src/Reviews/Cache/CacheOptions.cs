using System.ComponentModel.DataAnnotations;

namespace Reviews.Cache;

/// <summary>The response cache's settings, bound from the configuration section <see cref="Section"/>.</summary>
public sealed class CacheOptions
{
    public const string Section = "Reviews:Cache";
    public const int MaxSizeMb = 1 << 20;

    /// <summary>Whether GET answers are kept in memory (false: every GET reads the database).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Memory for cached answers, in MiB.</summary>
    [Range(1, MaxSizeMb, ErrorMessage = "Reviews:Cache:SizeMb (--cache-mb) must be from {1} to {2} MiB; to turn the cache off, set Reviews:Cache:Enabled to false (--no-cache).")]
    public int SizeMb { get; set; } = 256;

    /// <summary>
    /// Seconds the answers already cached are still served after the connection that hears of changes is lost
    /// (a primary restarting: no write can commit meanwhile), before they are dropped (an instance cut off from a
    /// database that others still write to). The bound on a stale answer in that case; 0 drops them at once.
    /// </summary>
    [Range(0, 300)]
    public int StaleIfDisconnectedSeconds { get; set; } = 10;

    public long SizeLimitBytes => SizeMb * (1L << 20);
}
