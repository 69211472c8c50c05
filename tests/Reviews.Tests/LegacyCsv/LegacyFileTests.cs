using Reviews.LegacyCsv;

namespace Reviews.Tests.LegacyCsv;

/// <summary>The one definition of the legacy files, checked against the data format (docs/data-format.md) as written there.</summary>
public sealed class LegacyFileTests
{
    [Fact]
    public void The_names_and_headers_are_the_data_formats_in_load_order() =>
        Assert.Equal(
        [
            ("reviews.csv", "id,product_id,rating,date,summary,body,recommend,reported,reviewer_name,reviewer_email,response,helpfulness"),
            ("characteristics.csv", "id,product_id,name"),
            ("reviews_photos.csv", "id,review_id,url"),
            ("characteristic_reviews.csv", "id,characteristic_id,review_id,value"),
        ], LegacyFile.All.Select(f => (f.Name, f.Header)));

    [Fact]
    public void The_reject_reasons_are_the_readmes() =>
        Assert.Equal(["field_count", "unterminated_quote", "duplicate_id", "missing_review", "missing_characteristic", "product_mismatch", "bad_rating"],
            [RejectReason.FieldCount, RejectReason.UnterminatedQuote, RejectReason.DuplicateId, RejectReason.MissingReview,
             RejectReason.MissingCharacteristic, RejectReason.ProductMismatch, RejectReason.Bad("rating")]);
}
