namespace Reviews.Store;

/// <summary>A characteristic of a product and the sum and count of its ratings (0 and 0 when nobody rated it).</summary>
public readonly record struct CharacteristicTotals(long Id, string Name, long Sum, long Count);
