using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;
using Reviews.LegacyCsv;

namespace Reviews.Importer;

public sealed class ReviewsFile(LoadedIds ids) : ITableFile<ReviewRow>
{
    public LegacyFile File => LegacyFile.Reviews;
    public string Copy => "COPY reviews (id, product_id, rating, date, summary, body, recommend, reported, reviewer_name, reviewer_email, response, helpfulness, state) FROM STDIN (FORMAT BINARY)";

    public bool TryParse(SepReader.Row row, TextBuffer text, out ReviewRow value, out Reject reject)
    {
        value = default;
        reject = default;
        if (!Rules.Id(row, 0, "id", out var id, ref reject) || !Rules.Id(row, 1, "product_id", out var productId, ref reject))
            return false;
        var f = new CsvField(row[2].Span);
        if (!f.TryInt(1, 5, out var rating)) { reject = Rules.Bad("rating", f, "is not an integer from 1 to 5"); return false; }
        f = new CsvField(row[3].Span);
        if (!f.TryEpochMilliseconds(out var date)) { reject = Rules.Bad("date", f, "is not milliseconds since the Unix epoch"); return false; }
        if (!Rules.Text(row, 4, "summary", nullable: true, text, out var summary, ref reject)
            || !Rules.Text(row, 5, "body", nullable: false, text, out var body, ref reject))
            return false;
        f = new CsvField(row[6].Span);
        if (!f.TryBool(out var recommend)) { reject = Rules.Bad("recommend", f, "is not true or false"); return false; }
        f = new CsvField(row[7].Span);
        if (!f.TryBool(out var reported)) { reject = Rules.Bad("reported", f, "is not true or false"); return false; }
        if (!Rules.Text(row, 8, "reviewer_name", nullable: false, text, out var name, ref reject)
            || !Rules.Text(row, 9, "reviewer_email", nullable: false, text, out var email, ref reject)
            || !Rules.Text(row, 10, "response", nullable: true, text, out var response, ref reject))
            return false;
        f = new CsvField(row[11].Span);
        if (!f.TryInt(0, int.MaxValue, out var helpfulness)) { reject = Rules.Bad("helpfulness", f, "is not a non-negative integer"); return false; }
        if (ids.Erased.Contains(id)) { reject = Rules.Erased(id); return false; }
        if (!ids.ReviewProducts.TryAdd(id, productId)) { reject = Rules.Duplicate(id); return false; }
        ids.Aggregates.AddReview(id, productId, rating, recommend, reported);

        value = new ReviewRow(id, productId, (short)rating, date, summary, body, recommend, reported, name, email, response, helpfulness);
        return true;
    }

    public void Write(NpgsqlBinaryImporter writer, in ReviewRow r, TextBuffer text)
    {
        writer.Write(r.Id, NpgsqlDbType.Bigint);
        writer.Write(r.ProductId, NpgsqlDbType.Bigint);
        writer.Write(r.Rating, NpgsqlDbType.Smallint);
        writer.Write(r.Date, NpgsqlDbType.TimestampTz);
        Rules.Write(writer, text, r.Summary);
        Rules.Write(writer, text, r.Body);
        writer.Write(r.Recommend, NpgsqlDbType.Boolean);
        writer.Write(r.Reported, NpgsqlDbType.Boolean);
        Rules.Write(writer, text, r.Name);
        Rules.Write(writer, text, r.Email);
        Rules.Write(writer, text, r.Response);
        writer.Write(r.Helpfulness, NpgsqlDbType.Integer);
        // The legacy files know one hidden state: reported.
        writer.Write(r.Reported ? "reported" : "published", NpgsqlDbType.Text);
    }
}
