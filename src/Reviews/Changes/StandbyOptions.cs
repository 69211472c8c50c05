using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Changes;

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
}
