namespace Reviews.Staff;

/// <summary>The roles a staff token may carry in its `role` claim, and the policies the staff endpoints require.</summary>
public static class StaffRoles
{
    public const string Moderator = "moderator";
    public const string Privacy = "privacy";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Moderator, Privacy, Admin];

    /// <summary>Moderation: a moderator or an admin.</summary>
    public const string ModerationPolicy = "moderation";

    /// <summary>Privacy requests: the privacy role or an admin.</summary>
    public const string PrivacyPolicy = "privacy";

    /// <summary>The service's own settings (webhook subscriptions): an admin.</summary>
    public const string AdminPolicy = "admin";
}
