using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;
using Reviews.LegacyCsv;

namespace Reviews.Importer;

public sealed class RatingsFile(LoadedIds ids) : ITableFile<RatingRow>
{
    public LegacyFile File => LegacyFile.Ratings;
    public string Copy => "COPY characteristic_reviews (id, characteristic_id, review_id, value) FROM STDIN (FORMAT BINARY)";

    public bool TryParse(SepReader.Row row, TextBuffer text, out RatingRow value, out Reject reject)
    {
        value = default;
        reject = default;
        if (!Rules.Id(row, 0, "id", out var id, ref reject)
            || !Rules.Id(row, 1, "characteristic_id", out var characteristicId, ref reject)
            || !Rules.Id(row, 2, "review_id", out var reviewId, ref reject))
            return false;
        var f = new CsvField(row[3].Span);
        if (!f.TryInt(1, 5, out var rating)) { reject = Rules.Bad("value", f, "is not an integer from 1 to 5"); return false; }

        var reviewProduct = ids.ReviewProducts.Get(reviewId);
        var characteristicProduct = ids.CharacteristicProducts.Get(characteristicId);
        if (reviewProduct == 0)
            reject = new(RejectReason.MissingReview, $"review {reviewId} is not in reviews.csv (or was rejected)");
        else if (characteristicProduct == 0)
            reject = new(RejectReason.MissingCharacteristic, $"characteristic {characteristicId} is not in characteristics.csv (or was rejected)");
        else if (reviewProduct != characteristicProduct)
            reject = new(RejectReason.ProductMismatch, $"characteristic {characteristicId} is of product {characteristicProduct}, review {reviewId} of product {reviewProduct}");
        else if (!ids.Ratings.Add(id))
            reject = Rules.Duplicate(id);
        else
        {
            ids.Aggregates.AddRating(characteristicId, reviewId, rating);
            value = new RatingRow(id, characteristicId, reviewId, (short)rating);
            return true;
        }
        return false;
    }

    public void Write(NpgsqlBinaryImporter writer, in RatingRow r, TextBuffer text)
    {
        writer.Write(r.Id, NpgsqlDbType.Bigint);
        writer.Write(r.CharacteristicId, NpgsqlDbType.Bigint);
        writer.Write(r.ReviewId, NpgsqlDbType.Bigint);
        writer.Write(r.Value, NpgsqlDbType.Smallint);
    }
}
