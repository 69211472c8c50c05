using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Cache;

/// <summary>The response cache's settings, bound from the configuration section <see cref="Section"/>.</summary>
public sealed class CacheOptions : ISettingsSection
{
    public static string Section => "Reviews:Cache";
    public const int MaxSizeMb = 1 << 20;

    [Setting("Keep GET answers in memory (false: every GET reads the database).", Flag = "--no-cache")]
    public bool Enabled { get; set; } = true;

    [Setting("Memory for cached GET answers, in MiB (1–1048576); sizing: docs/read-path.md.", Flag = "--cache-mb",
        Default = "a quarter of the memory the process may use (its container's limit, if any), 256 at least")]
    [Range(1, MaxSizeMb, ErrorMessage = "Reviews:Cache:SizeMb (--cache-mb) must be from {1} to {2} MiB; to turn the cache off, set Reviews:Cache:Enabled to false (--no-cache).")]
    public int? SizeMb { get; set; }

    /// <summary>
    /// A quarter of the memory this process may use (the machine's, or its container's limit), 256 MiB at least. A
    /// fixed 256 MiB held one sort of one page of the hot products, not the catalogue: with every sort and the first
    /// two pages asked for, most answers were misses (docs/read-path.md).
    /// </summary>
    public static int DefaultSizeMb => (int)Math.Max(256, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 >> 20);

    /// <summary>The size in effect, in MiB.</summary>
    public int EffectiveSizeMb => SizeMb ?? DefaultSizeMb;

    /// <summary>
    /// Seconds the answers already cached are still served after the connection that hears of changes is lost
    /// (a primary restarting: no write can commit meanwhile), before they are dropped (an instance cut off from a
    /// database that others still write to). The bound on a stale answer in that case; 0 drops them at once.
    /// </summary>
    [Setting("Seconds cached answers are still served after losing the connection that hears of changes (then dropped; docs/deployment.md).")]
    [Range(0, 300)]
    public int StaleIfDisconnectedSeconds { get; set; } = 10;

    public long SizeLimitBytes => EffectiveSizeMb * (1L << 20);
}
