using Reviews.Configuration;

namespace Reviews.Writing;

/// <summary>How new reviews are published, bound from <see cref="Section"/>.</summary>
public sealed class ModerationOptions : ISettingsSection
{
    public static string Section => "Reviews:Moderation";

    [Setting("Hold each new review as pending until a moderator publishes it (false: published at once, as the legacy API did).")]
    public bool HoldNewReviews { get; set; }
}
