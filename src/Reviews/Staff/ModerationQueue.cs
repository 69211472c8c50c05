using Reviews.Store;

namespace Reviews.Staff;

/// <summary>A page of a moderation queue (GET /moderation/reviews), the longest waiting first.</summary>
public sealed record ModerationQueue(string State, int Page, int Count, List<QueuedReview> Results);
