namespace Reviews.Store;

/// <summary>What a moderation action did to a review: its product (to announce), and its state before and after.</summary>
public sealed record StateChange(long ProductId, string Before, string After);
