namespace Reviews.LegacyCsv;

/// <summary>
/// Why the importer did not load a row: the codes of the reject report and the summary (README, "What the
/// report means"). The generator's manifest of spoiled rows uses the same codes, which the tests compare.
/// </summary>
public static class RejectReason
{
    public const string FieldCount = "field_count";
    public const string UnterminatedQuote = "unterminated_quote";
    public const string DuplicateId = "duplicate_id";
    public const string MissingReview = "missing_review";
    public const string MissingCharacteristic = "missing_characteristic";
    public const string ProductMismatch = "product_mismatch";

    /// <summary>A review erased by a privacy request (staff.erased_reviews): never brought back by an import.</summary>
    public const string Erased = "erased";

    /// <summary>A value its column cannot hold: the prefix of <c>bad_&lt;column&gt;</c>.</summary>
    public const string BadPrefix = "bad_";

    public static string Bad(string column) => BadPrefix + column;
}
