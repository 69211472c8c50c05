namespace Reviews.Store;

/// <summary>A review to insert, already validated by the API.</summary>
public sealed record NewReview(
    long ProductId, short Rating, string Summary, string Body, bool Recommend, string Name, string Email,
    string[] Photos, long[] CharacteristicIds, short[] CharacteristicValues);
