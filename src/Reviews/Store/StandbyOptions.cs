using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Store;

/// <summary>Reads from standbys (a connection string naming several hosts), bound from <see cref="Section"/>.</summary>
public sealed class StandbyOptions : ISettingsSection
{
    public static string Section => "Reviews:Standbys";

    /// <summary>
    /// How far behind the primary a standby may be and still answer: an answer about a product counts only if the
    /// standby had replayed every change to it heard of, and every change heard of more than this many seconds ago.
    /// A standby further behind answers nothing (reads go to the primary) until it catches up.
    /// </summary>
    [Setting("With standbys (a connection string naming several hosts): how many seconds behind the primary a standby may be and still answer (else reads go to the primary).")]
    [Range(1, 3600)]
    public int MaxLagSeconds { get; set; } = 30;

    /// <summary>
    /// A server on a host that vanished drops packets silently: a read waiting on it would wait for TCP's own
    /// timeouts (minutes). Past this, another server is asked (the primary, or in a failover a standby); the
    /// balancer retries a read on another instance after 1.5 s (deploy/lb/nginx.conf), so two of these and a 1 s
    /// connect timeout (the swarm stack's connection string) stay about under it.
    /// </summary>
    [Setting("With standbys: milliseconds a read's statements wait for one server before another is asked (a standby, then the primary; with no primary answering, a standby however far behind). Connecting is bounded by the connection string's `Timeout`.")]
    [Range(100, 60_000)]
    public int ReadTimeoutMilliseconds { get; set; } = 500;
}
