namespace Reviews.Importer;

public readonly record struct RatingRow(long Id, long CharacteristicId, long ReviewId, short Value);
