using System.Globalization;
using System.Text;

namespace Reviews.Generator;

/// <summary>What a generated set holds.</summary>
public sealed record GeneratedCounts(long Products, long Reviews, long Photos, long Characteristics, long Ratings);

/// <summary>
/// Writes the four legacy CSV files with a realistic shape: a skewed number of reviews per product (many
/// with a few, some with hundreds, some with none), 3–5 characteristics per product named as in the real
/// set, about one photo for every two reviews, a rating of every characteristic on every review, a few
/// reported reviews, and text with commas, quotes, line breaks and non-ASCII characters. Rows stream to
/// disk product by product, so memory is flat; the same seed gives the same bytes.
/// </summary>
public sealed class DataGenerator(int products, int seed)
{
    public const int DemoProducts = 5_000;

    static readonly string[][] CharacteristicSets =
    [
        ["Fit", "Length", "Comfort", "Quality"],
        ["Size", "Width", "Comfort", "Quality"],
        ["Quality", "Comfort", "Fit"],
        ["Fit", "Length", "Comfort", "Quality", "Width"],
        ["Size", "Width", "Comfort", "Quality", "Length"],
    ];

    static readonly string[] Words =
    [
        "great", "fit", "comfortable", "quality", "color", "size", "fabric", "soft", "price", "love", "perfect",
        "small", "large", "wash", "shipping", "style", "warm", "light", "daily", "gift", "café", "naïve", "déjà vu",
        "Größe", "très", "bien", "日本", "👍", "🔥", "\"wow\"", "really,", "so-so", "it's", "O'Neil",
    ];

    static readonly string[] Names = ["funtime", "shopaddict", "maya", "jörg", "chloé", "bigbrother", "night_owl", "o'hara", "renée", "li.wei"];
    static readonly string[] Domains = ["gmail.com", "example.com", "mail.example", "yahoo.com"];
    static readonly string[] Responses = ["Thanks for the feedback!", "Glad you're enjoying the product!", "Sorry to hear that, please contact us, we'll help."];

    static readonly long FirstDate = new DateTimeOffset(2020, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    const long DateSpan = 365L * 24 * 3600 * 1000;

    readonly Random random = new(seed);

    public GeneratedCounts Write(string directory)
    {
        Directory.CreateDirectory(directory);
        using var reviews = Open(directory, "reviews.csv", "id,product_id,rating,date,summary,body,recommend,reported,reviewer_name,reviewer_email,response,helpfulness");
        using var photos = Open(directory, "reviews_photos.csv", "id,review_id,url");
        using var characteristics = Open(directory, "characteristics.csv", "id,product_id,name");
        using var ratings = Open(directory, "characteristic_reviews.csv", "id,characteristic_id,review_id,value");

        long reviewId = 0, photoId = 0, characteristicId = 0, ratingId = 0;
        for (long product = 1; product <= products; product++)
        {
            var names = CharacteristicSets[random.Next(CharacteristicSets.Length)];
            var firstCharacteristic = characteristicId + 1;
            foreach (var name in names)
                characteristics.Write($"{++characteristicId},{product},{Quote(name)}\n");

            var count = ReviewCount();
            for (var i = 0; i < count; i++)
            {
                reviewId++;
                var rating = Rating();
                reviews.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{reviewId},{product},{rating},{FirstDate + random.NextInt64(DateSpan)},{Quote(Sentence(3, 8))},{Quote(Body())}," +
                    $"{Bool(rating >= 3 ? random.NextDouble() < 0.9 : random.NextDouble() < 0.3)},{Bool(random.NextDouble() < 0.01)}," +
                    $"{Quote(Name())},{Quote(Email())},{Response()},{Helpfulness()}\n"));

                var photoCount = random.NextDouble() < 0.35 ? 1 + random.Next(2) : 0;
                for (var p = 0; p < photoCount; p++)
                    photos.Write($"{++photoId},{reviewId},{Quote($"https://images.example/photo-{random.Next(1, 100_000)}.jpg?w=975&q=80")}\n");

                for (var c = 0; c < names.Length; c++)
                    ratings.Write($"{++ratingId},{firstCharacteristic + c},{reviewId},{Math.Clamp(rating + random.Next(-1, 2), 1, 5)}\n");
            }
        }
        return new GeneratedCounts(products, reviewId, photoId, characteristicId, ratingId);
    }

    static StreamWriter Open(string directory, string name, string header)
    {
        var writer = new StreamWriter(Path.Combine(directory, name), false, new UTF8Encoding(false), 1 << 16);
        writer.Write(header);
        writer.Write('\n');
        return writer;
    }

    // Many products with a few reviews, some with none, a few with hundreds.
    int ReviewCount()
    {
        var u = random.NextDouble();
        if (u < 0.08)
            return 0;
        if (u < 0.09)
            return 100 + random.Next(400);
        return 1 + (int)(-Math.Log(1 - random.NextDouble()) * 3.5);
    }

    int Rating() => random.NextDouble() switch { < 0.08 => 1, < 0.16 => 2, < 0.32 => 3, < 0.62 => 4, _ => 5 };

    int Helpfulness() => random.NextDouble() < 0.3 ? 0 : (int)(-Math.Log(1 - random.NextDouble()) * 6);

    string Sentence(int min, int max)
    {
        var words = new string[random.Next(min, max + 1)];
        for (var i = 0; i < words.Length; i++)
            words[i] = Words[random.Next(Words.Length)];
        var text = string.Join(' ', words);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    string Body()
    {
        var sentences = random.Next(1, 5);
        var body = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0)
                body.Append(random.NextDouble() < 0.15 ? "\n" : " ");
            body.Append(Sentence(4, 14)).Append('.');
        }
        return body.ToString();
    }

    string Name() => Names[random.Next(Names.Length)] + random.Next(1, 1000).ToString(CultureInfo.InvariantCulture);

    string Email() => $"user{random.Next(1, 1_000_000)}@{Domains[random.Next(Domains.Length)]}";

    string Response() => random.NextDouble() < 0.1 ? Quote(Responses[random.Next(Responses.Length)]) : "null";

    static string Bool(bool value) => value ? "true" : "false";

    static string Quote(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
}
