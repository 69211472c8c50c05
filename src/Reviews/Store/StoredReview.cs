namespace Reviews.Store;

/// <summary>A review as the list query reads it, with its photos in id order.</summary>
public sealed record StoredReview(
    long Id, short Rating, string? Summary, bool Recommend, string? Response, string Body, DateTime Date,
    string ReviewerName, int Helpfulness, StoredPhoto[] Photos);
