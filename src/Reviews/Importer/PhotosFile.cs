using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;
using Reviews.LegacyCsv;

namespace Reviews.Importer;

public sealed class PhotosFile(LoadedIds ids) : ITableFile<PhotoRow>
{
    public LegacyFile File => LegacyFile.Photos;
    public string Copy => "COPY photos (id, review_id, url) FROM STDIN (FORMAT BINARY)";

    public bool TryParse(SepReader.Row row, TextBuffer text, out PhotoRow value, out Reject reject)
    {
        value = default;
        reject = default;
        if (!Rules.Id(row, 0, "id", out var id, ref reject) || !Rules.Id(row, 1, "review_id", out var reviewId, ref reject)
            || !Rules.Text(row, 2, "url", nullable: false, text, out var url, ref reject))
            return false;
        if (!ids.ReviewProducts.Contains(reviewId))
        {
            reject = new(RejectReason.MissingReview, $"review {reviewId} is not in reviews.csv (or was rejected)");
            return false;
        }
        if (!ids.Photos.Add(id)) { reject = Rules.Duplicate(id); return false; }
        value = new PhotoRow(id, reviewId, url);
        return true;
    }

    public void Write(NpgsqlBinaryImporter writer, in PhotoRow r, TextBuffer text)
    {
        writer.Write(r.Id, NpgsqlDbType.Bigint);
        writer.Write(r.ReviewId, NpgsqlDbType.Bigint);
        Rules.Write(writer, text, r.Url);
    }
}
