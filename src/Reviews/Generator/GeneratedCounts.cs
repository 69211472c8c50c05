namespace Reviews.Generator;

/// <summary>What a generated set holds: rows written per file, and how many of them the importer must reject.</summary>
public sealed record GeneratedCounts(long Products, long Reviews, long Photos, long Characteristics, long Ratings, long Spoiled);
