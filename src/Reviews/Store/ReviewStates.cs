namespace Reviews.Store;

/// <summary>
/// The states of a review (the reviews.state column). Only a published review is in the list and the meta; the
/// others are hidden (reviews.reported is true).
/// </summary>
public static class ReviewStates
{
    public const string Published = "published";
    /// <summary>Reported by a shopper (PUT /reviews/{id}/report): hidden at once, until a moderator decides.</summary>
    public const string Reported = "reported";
    /// <summary>New and held for approval (Reviews:Moderation:HoldNewReviews).</summary>
    public const string Pending = "pending";
    /// <summary>Taken down by a moderator.</summary>
    public const string Removed = "removed";

    /// <summary>The states a moderation queue lists.</summary>
    public static IReadOnlyList<string> Hidden { get; } = [Reported, Pending, Removed];
}
