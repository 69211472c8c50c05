namespace Reviews.Store;

/// <summary>A review in a moderation queue: what a moderator needs to decide, and since when it waits.</summary>
public sealed record QueuedReview(long ReviewId, long ProductId, short Rating, string? Summary, string Body, bool Recommend,
    string? Response, string ReviewerName, DateTime Date, int Helpfulness, string State, DateTime? StateSince, string[] Photos);
