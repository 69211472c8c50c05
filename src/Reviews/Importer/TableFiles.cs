using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;

namespace Reviews.Importer;

/// <summary>Why a row was not loaded: a stable code (counted in the summary) and a detail for people.</summary>
public readonly record struct Reject(string Reason, string Detail);

/// <summary>
/// One of the four legacy files: its exact header, how a row becomes a table row (or a reject), and how
/// that row is written to COPY. Parsing also records each accepted id, so later files can be checked
/// against the earlier ones; that is why files load in key order (reviews, characteristics, then the rest).
/// </summary>
public interface ITableFile<TRow>
{
    string FileName { get; }
    string Header { get; }
    string Copy { get; }
    bool TryParse(SepReader.Row row, TextBuffer text, out TRow value, out Reject reject);
    void Write(NpgsqlBinaryImporter writer, in TRow value, TextBuffer text);
}

/// <summary>What the files loaded so far hold, for the checks of the files after them.</summary>
public sealed class LoadedIds
{
    public IdMap ReviewProducts { get; } = new();
    public IdMap CharacteristicProducts { get; } = new();
    public IdSet Photos { get; } = new();
    public IdSet Ratings { get; } = new();
    public Aggregates Aggregates { get; } = new();
}

static class Rules
{
    public static Reject Bad(string column, CsvField field, string rule) =>
        new($"bad_{column}", $"{column} {Quote(field)} {rule}");

    static string Quote(CsvField field) => "\"" + field.ToString().Replace("\"", "'") + "\"";

    public static Reject Duplicate(long id) => new("duplicate_id", $"id {id} appears earlier in the file");

    public static bool Id(SepReader.Row row, int col, string column, out long id, ref Reject reject)
    {
        var field = new CsvField(row[col].Span);
        if (field.TryPositiveId(out id))
            return true;
        reject = Bad(column, field, "is not a positive integer");
        return false;
    }

    /// <summary>A text field into the batch's buffer; the bare word null is SQL NULL.</summary>
    public static bool Text(SepReader.Row row, int col, string column, bool nullable, TextBuffer text, out TextSlice slice, ref Reject reject)
    {
        var raw = row[col].Span;
        var field = new CsvField(raw);
        slice = TextSlice.Null;
        if (field.IsNullMarker)
        {
            if (nullable)
                return true;
            reject = Bad(column, field, "is null but is required");
            return false;
        }
        if (raw.Contains('\0'))
        {
            reject = Bad(column, field, "contains a NUL character, which PostgreSQL text cannot hold");
            return false;
        }
        slice = text.AddField(raw, field.IsQuoted);
        return true;
    }

    public static void Write(NpgsqlBinaryImporter writer, TextBuffer text, TextSlice slice)
    {
        if (slice.IsNull)
            writer.WriteNull();
        else
            writer.Write(text[slice], NpgsqlDbType.Text);
    }
}

public readonly record struct ReviewRow(
    long Id, long ProductId, short Rating, DateTime Date, TextSlice Summary, TextSlice Body, bool Recommend,
    bool Reported, TextSlice Name, TextSlice Email, TextSlice Response, int Helpfulness);

public sealed class ReviewsFile(LoadedIds ids) : ITableFile<ReviewRow>
{
    public string FileName => "reviews.csv";
    public string Header => "id,product_id,rating,date,summary,body,recommend,reported,reviewer_name,reviewer_email,response,helpfulness";
    public string Copy => "COPY reviews (id, product_id, rating, date, summary, body, recommend, reported, reviewer_name, reviewer_email, response, helpfulness) FROM STDIN (FORMAT BINARY)";

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
    }
}

public readonly record struct CharacteristicRow(long Id, long ProductId, string Name);

public sealed class CharacteristicsFile(LoadedIds ids) : ITableFile<CharacteristicRow>
{
    public string FileName => "characteristics.csv";
    public string Header => "id,product_id,name";
    public string Copy => "COPY characteristics (id, product_id, name) FROM STDIN (FORMAT BINARY)";

    public bool TryParse(SepReader.Row row, TextBuffer text, out CharacteristicRow value, out Reject reject)
    {
        value = default;
        reject = default;
        if (!Rules.Id(row, 0, "id", out var id, ref reject) || !Rules.Id(row, 1, "product_id", out var productId, ref reject)
            || !Rules.Text(row, 2, "name", nullable: false, text, out var slice, ref reject))
            return false;
        var name = text.Span(slice).ToString();
        if (!ids.CharacteristicProducts.TryAdd(id, productId)) { reject = Rules.Duplicate(id); return false; }
        // Six names repeat over millions of rows: one string each.
        value = new CharacteristicRow(id, productId, string.Intern(name));
        return true;
    }

    public void Write(NpgsqlBinaryImporter writer, in CharacteristicRow r, TextBuffer text)
    {
        writer.Write(r.Id, NpgsqlDbType.Bigint);
        writer.Write(r.ProductId, NpgsqlDbType.Bigint);
        writer.Write(r.Name, NpgsqlDbType.Text);
    }
}

public readonly record struct PhotoRow(long Id, long ReviewId, TextSlice Url);

public sealed class PhotosFile(LoadedIds ids) : ITableFile<PhotoRow>
{
    public string FileName => "reviews_photos.csv";
    public string Header => "id,review_id,url";
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
            reject = new("missing_review", $"review {reviewId} is not in reviews.csv (or was rejected)");
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

public readonly record struct RatingRow(long Id, long CharacteristicId, long ReviewId, short Value);

public sealed class RatingsFile(LoadedIds ids) : ITableFile<RatingRow>
{
    public string FileName => "characteristic_reviews.csv";
    public string Header => "id,characteristic_id,review_id,value";
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
            reject = new("missing_review", $"review {reviewId} is not in reviews.csv (or was rejected)");
        else if (characteristicProduct == 0)
            reject = new("missing_characteristic", $"characteristic {characteristicId} is not in characteristics.csv (or was rejected)");
        else if (reviewProduct != characteristicProduct)
            reject = new("product_mismatch", $"characteristic {characteristicId} is of product {characteristicProduct}, review {reviewId} of product {reviewProduct}");
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
