namespace Reviews.Store;

/// <summary>A reviewer's rating of one characteristic of the product.</summary>
public sealed record CharacteristicRating(long CharacteristicId, string Name, short Value);
