namespace Reviews.Store;

/// <summary>Everything stored of one review, for its reviewer's right of access.</summary>
public sealed record ReviewerRecord(long ReviewId, long ProductId, short Rating, DateTime Date, string? Summary, string Body,
    bool Recommend, string? Response, string ReviewerName, string ReviewerEmail, int Helpfulness, string State,
    string[] Photos, CharacteristicRating[] Characteristics);
