namespace Reviews.Importer;

public readonly record struct CharacteristicRow(long Id, long ProductId, string Name);
