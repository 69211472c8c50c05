namespace Reviews.LegacyCsv;

/// <summary>
/// One of the four files of the legacy export (docs/data-format.md): its name and its exact header line.
/// The importer checks the header against it and the generator writes it; nothing else spells them.
/// </summary>
public sealed record LegacyFile(string Name, string Header)
{
    public static LegacyFile Reviews { get; } = new("reviews.csv",
        "id,product_id,rating,date,summary,body,recommend,reported,reviewer_name,reviewer_email,response,helpfulness");

    public static LegacyFile Characteristics { get; } = new("characteristics.csv", "id,product_id,name");

    public static LegacyFile Photos { get; } = new("reviews_photos.csv", "id,review_id,url");

    public static LegacyFile Ratings { get; } = new("characteristic_reviews.csv", "id,characteristic_id,review_id,value");

    /// <summary>In load order: each file's references point at files before it.</summary>
    public static IReadOnlyList<LegacyFile> All { get; } = [Reviews, Characteristics, Photos, Ratings];

    public int ColumnCount => Header.AsSpan().Count(',') + 1;
}
