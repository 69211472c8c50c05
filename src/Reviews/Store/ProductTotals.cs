namespace Reviews.Store;

/// <summary>
/// The kept aggregates of one product over its non-reported reviews: how many of each rating
/// (<see cref="Ratings"/>[0] counts the 1s), how many (not) recommended, and each characteristic's totals.
/// </summary>
public sealed record ProductTotals(long[] Ratings, long NotRecommended, long Recommended, List<CharacteristicTotals> Characteristics);
