using System.Globalization;
using Reviews.LegacyCsv;

namespace Reviews.Generator;

/// <summary>
/// Writes the four legacy CSV files with a realistic shape: a skewed number of reviews per product (many
/// with a few, some with hundreds, some with none), 3–5 characteristics per product named as in the real
/// set, about one photo for every two reviews, a rating of every characteristic on every review, a few
/// reported reviews, and text with commas, quotes, line breaks and non-ASCII characters. Rows stream to
/// disk product by product; the same seed gives the same bytes.
///
/// With a dirty rate, that share of each file's rows is spoiled in one of the ways real exports go wrong
/// (docs/data-format.md), the reviews file starts with a byte-order mark, characteristics.csv has
/// \r\n line ends, and reviews.csv ends inside a quoted field; manifest.csv lists every row the importer must
/// reject and why, including the photos and ratings orphaned by a spoiled review or characteristic. Spoiling
/// draws from its own random stream, so the dirty set is the clean set of the same seed with exactly those
/// rows changed or added.
/// </summary>
public sealed class DataGenerator(GeneratorPlan plan, int seed, double dirtyRate = 0)
{
    public const int DemoProducts = 5_000;
    public const string ManifestFile = "manifest.csv";

    // The bad_<column> rejects this generator makes.
    const string BadDate = RejectReason.BadPrefix + "date";
    const string BadHelpfulness = RejectReason.BadPrefix + "helpfulness";
    const string BadProductId = RejectReason.BadPrefix + "product_id";
    const string BadRating = RejectReason.BadPrefix + "rating";
    const string BadRecommend = RejectReason.BadPrefix + "recommend";
    const string BadReviewId = RejectReason.BadPrefix + "review_id";
    const string BadValue = RejectReason.BadPrefix + "value";

    public DataGenerator(int products, int seed) : this(GeneratorPlan.Scaled(products), seed) { }

    static readonly string[][] CharacteristicSets =
    [
        ["Quality", "Comfort", "Fit"],
        ["Size", "Width", "Comfort"],
        ["Fit", "Length", "Comfort", "Quality"],
        ["Size", "Width", "Comfort", "Quality"],
        ["Fit", "Length", "Comfort", "Quality", "Width"],
        ["Size", "Width", "Comfort", "Quality", "Length"],
    ];

    static readonly long FirstDate = new DateTimeOffset(2020, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    const long DateSpan = 365L * 24 * 3600 * 1000;

    readonly Random dirt = new(unchecked(seed * 7919 + 17));
    readonly RejectManifest manifest = new();
    readonly SampleText text = new(new Random(seed));

    // One stream for the rows and their text, in the order they are written.
    Random random => text.Random;

    bool Dirty => dirtyRate > 0;

    bool Spoil() => Dirty && dirt.NextDouble() < dirtyRate;

    string Pick(params string[] kinds) => kinds[dirt.Next(kinds.Length)];

    public GeneratedCounts Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var quotas = new Quotas(plan, random);
        using var reviews = new CsvOut(directory, LegacyFile.Reviews, byteOrderMark: Dirty);
        using var characteristics = new CsvOut(directory, LegacyFile.Characteristics, crlf: Dirty);
        using var photos = new CsvOut(directory, LegacyFile.Photos);
        using var ratings = new CsvOut(directory, LegacyFile.Ratings);

        long reviewId = 0, photoId = 0, characteristicId = 0, ratingId = 0;
        long otherProductCharacteristic = 0; // a good characteristic of an earlier product, to mis-assign
        var characteristicSpoiled = new bool[5];
        for (long product = 1; product <= plan.Products; product++)
        {
            var names = NamesFor(quotas.Characteristics[product - 1]);
            var firstCharacteristic = characteristicId + 1;
            for (var c = 0; c < names.Length; c++)
                characteristicSpoiled[c] = WriteCharacteristic(characteristics, ++characteristicId, product, names[c]);

            var reviewCount = quotas.Reviews[product - 1];
            for (var i = 0; i < reviewCount; i++)
            {
                reviewId++;
                var truncate = Dirty && reviewId == plan.Reviews; // the very last review row of the file
                var reviewSpoiled = WriteReview(reviews, reviewId, product, truncate);

                for (var p = 0; p < quotas.Photos[reviewId - 1]; p++)
                    WritePhoto(photos, ++photoId, reviewId, reviewSpoiled);

                for (var c = 0; c < names.Length; c++)
                {
                    var value = Math.Clamp(Rating(reviewId) + random.Next(-1, 2), 1, 5);
                    WriteRating(ratings, ++ratingId, firstCharacteristic + c, reviewId, value,
                        reviewSpoiled, characteristicSpoiled[c], otherProductCharacteristic);
                }
            }
            var good = Array.IndexOf(characteristicSpoiled, false, 0, names.Length);
            if (good >= 0)
                otherProductCharacteristic = firstCharacteristic + good;
        }

        if (Dirty)
            manifest.Write(Path.Combine(directory, ManifestFile), [reviews.Name, characteristics.Name, photos.Name, ratings.Name]);
        return new GeneratedCounts(plan.Products, reviews.Rows, photos.Rows, characteristics.Rows, ratings.Rows, manifest.Count);
    }

    static string[] NamesFor(int count)
    {
        // The same few sets as the real data, picked by count so that the quotas stay exact.
        var sets = CharacteristicSets.Where(s => s.Length == count).ToArray();
        return sets[(int)(count * 7919L % sets.Length)];
    }

    /// <summary>Writes a characteristic; returns whether the importer must reject it.</summary>
    bool WriteCharacteristic(CsvOut file, long id, long product, string name)
    {
        string[] fields = [Id(id), Id(product), CsvOut.Quote(name)];
        string? reason = null;
        var duplicate = false;
        if (Spoil())
        {
            switch (Pick(RejectReason.FieldCount, BadProductId, RejectReason.DuplicateId))
            {
                case RejectReason.FieldCount: reason = Drop(ref fields); break;
                case BadProductId: reason = Set(fields, 1, "p" + Id(product), BadProductId); break;
                default: duplicate = true; break;
            }
        }
        manifest.Record(file, 1, id, fields, reason, duplicate);
        return reason is not null;
    }

    /// <summary>Writes a review; returns whether the importer must reject it.</summary>
    bool WriteReview(CsvOut file, long id, long product, bool truncate)
    {
        var rating = Rating(id);
        string[] fields =
        [
            Id(id), Id(product), rating.ToString(CultureInfo.InvariantCulture),
            (FirstDate + random.NextInt64(DateSpan)).ToString(CultureInfo.InvariantCulture),
            CsvOut.Quote(text.Sentence(3, 8)), CsvOut.Quote(text.Body()),
            Bool(rating >= 3 ? random.NextDouble() < 0.9 : random.NextDouble() < 0.3), Bool(random.NextDouble() < 0.01),
            CsvOut.Quote(text.Name()), CsvOut.Quote(text.Email()), text.Response(), text.Helpfulness().ToString(CultureInfo.InvariantCulture),
        ];
        if (truncate)
        {
            // A copy cut short: the file ends inside the body's quotes, just after its first character that is
            // not a quote (so no "" pair is split and the field cannot look closed).
            var row = string.Join(',', fields);
            var body = row.IndexOf(",\"", row.IndexOf(",\"", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2;
            var cut = row.AsSpan(body).IndexOfAnyExcept('"') + body + 1;
            manifest.Add(0, file.WriteTruncated(row[..cut]), id, RejectReason.UnterminatedQuote);
            return true;
        }
        string? reason = null;
        var duplicate = false;
        if (Spoil())
        {
            switch (Pick(RejectReason.FieldCount, BadProductId, BadRating, BadDate, BadHelpfulness, BadRecommend, RejectReason.DuplicateId))
            {
                case RejectReason.FieldCount: reason = Drop(ref fields); break;
                case BadProductId: reason = Set(fields, 1, "abc", BadProductId); break;
                case BadRating: reason = Set(fields, 2, Pick("0", "6", "9", "-1"), BadRating); break;
                case BadDate: reason = Set(fields, 3, Pick("2020-07-30", "\"yesterday\"", ""), BadDate); break;
                case BadHelpfulness: reason = Set(fields, 11, "-" + (1 + dirt.Next(9)), BadHelpfulness); break;
                case BadRecommend: reason = Set(fields, 6, Pick("yes", "1", "TRUE"), BadRecommend); break;
                default: duplicate = true; break;
            }
        }
        manifest.Record(file, 0, id, fields, reason, duplicate);
        return reason is not null;
    }

    void WritePhoto(CsvOut file, long id, long reviewId, bool reviewSpoiled)
    {
        var url = CsvOut.Quote($"https://images.example/photo-{random.Next(1, 100_000)}.jpg?w=975&q=80");
        string[] fields = [Id(id), Id(reviewId), url];
        string? reason = null;
        var duplicate = false;
        if (Spoil())
        {
            switch (Pick(RejectReason.FieldCount, BadReviewId, RejectReason.MissingReview, RejectReason.DuplicateId))
            {
                case RejectReason.FieldCount: reason = Drop(ref fields); break;
                case BadReviewId: reason = Set(fields, 1, "r" + Id(reviewId), BadReviewId); break;
                case RejectReason.MissingReview: reason = Set(fields, 1, Id(plan.Reviews + 1 + dirt.Next(1000)), RejectReason.MissingReview); break;
                default: duplicate = true; break;
            }
        }
        // The importer checks the row's own fields first, then its review.
        reason ??= reviewSpoiled ? RejectReason.MissingReview : null;
        manifest.Record(file, 2, id, fields, reason, duplicate);
    }

    void WriteRating(CsvOut file, long id, long characteristicId, long reviewId, int value,
        bool reviewSpoiled, bool characteristicSpoiled, long otherProductCharacteristic)
    {
        string[] fields = [Id(id), Id(characteristicId), Id(reviewId), value.ToString(CultureInfo.InvariantCulture)];
        string? fieldReason = null;
        var duplicate = false;
        if (Spoil())
        {
            switch (Pick(RejectReason.FieldCount, BadValue, RejectReason.MissingReview, RejectReason.MissingCharacteristic, RejectReason.ProductMismatch, RejectReason.DuplicateId))
            {
                case RejectReason.FieldCount: fieldReason = Drop(ref fields); break;
                case BadValue: fieldReason = Set(fields, 3, Pick("0", "6", "x"), BadValue); break;
                case RejectReason.MissingReview: reviewSpoiled = true; fields[2] = Id(plan.Reviews + 1 + dirt.Next(1000)); break;
                case RejectReason.MissingCharacteristic: characteristicSpoiled = true; fields[1] = Id(plan.Characteristics + 1 + dirt.Next(1000)); break;
                case RejectReason.ProductMismatch when otherProductCharacteristic > 0:
                    fields[1] = Id(otherProductCharacteristic);
                    characteristicSpoiled = false; // the row now names another product's good characteristic
                    break;
                case RejectReason.ProductMismatch: break; // no earlier product to borrow from: the row stays good
                default: duplicate = true; break;
            }
        }
        // The importer's order of checks: the row's own fields, its review, its characteristic, their products.
        var reason = fieldReason
            ?? (reviewSpoiled ? RejectReason.MissingReview
            : characteristicSpoiled ? RejectReason.MissingCharacteristic
            : fields[1] != Id(characteristicId) ? RejectReason.ProductMismatch
            : null);
        manifest.Record(file, 3, id, fields, reason, duplicate);
    }

    static string Drop(ref string[] fields)
    {
        fields = fields[..^1];
        return RejectReason.FieldCount;
    }

    static string Set(string[] fields, int index, string value, string reason)
    {
        fields[index] = value;
        return reason;
    }

    // Ratings lean positive, as in the real data; the same review's characteristics follow its rating.
    int Rating(long reviewId) => (int)((ulong)(reviewId * 2654435761L ^ seed) % 100) switch { < 8 => 1, < 16 => 2, < 32 => 3, < 62 => 4, _ => 5 };

    static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    static string Bool(bool value) => value ? "true" : "false";

}
