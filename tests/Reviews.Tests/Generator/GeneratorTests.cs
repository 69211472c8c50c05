using System.Security.Cryptography;
using nietras.SeparatedValues;
using Reviews.Generator;
using Reviews.LegacyCsv;

namespace Reviews.Tests.Generator;

public sealed class GeneratorTests : IDisposable
{
    readonly string root = TempFiles.Path("generated");

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly string[] Files = [LegacyFile.Reviews.Name, LegacyFile.Photos.Name, LegacyFile.Characteristics.Name, LegacyFile.Ratings.Name];

    static string Hash(string directory) =>
        string.Join(",", Files.Select(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, f))))));

    [Fact]
    public void The_same_seed_writes_the_same_bytes_and_another_seed_other_bytes()
    {
        new DataGenerator(300, seed: 7).Write(Path.Combine(root, "a"));
        new DataGenerator(300, seed: 7).Write(Path.Combine(root, "b"));
        new DataGenerator(300, seed: 8).Write(Path.Combine(root, "c"));
        Assert.Equal(Hash(Path.Combine(root, "a")), Hash(Path.Combine(root, "b")));
        Assert.NotEqual(Hash(Path.Combine(root, "a")), Hash(Path.Combine(root, "c")));
    }

    [Fact]
    public void The_files_have_the_real_headers_and_a_realistic_shape()
    {
        var counts = new DataGenerator(3000, seed: 1).Write(root);
        Assert.Equal(LegacyFile.Reviews.Header,
            File.ReadLines(Path.Combine(root, LegacyFile.Reviews.Name)).First());
        Assert.Equal(LegacyFile.Photos.Header, File.ReadLines(Path.Combine(root, LegacyFile.Photos.Name)).First());
        Assert.Equal(LegacyFile.Characteristics.Header, File.ReadLines(Path.Combine(root, LegacyFile.Characteristics.Name)).First());
        Assert.Equal(LegacyFile.Ratings.Header, File.ReadLines(Path.Combine(root, LegacyFile.Ratings.Name)).First());

        // Read back with an independent CSV parser.
        using var reviews = Sep.Reader(o => o with { Unescape = true }).FromFile(Path.Combine(root, LegacyFile.Reviews.Name));
        var rows = reviews.Enumerate(r => (Product: r["product_id"].Parse<long>(), Date: r["date"].Parse<long>(),
            Body: r["body"].ToString(), Summary: r["summary"].ToString(), Reported: r["reported"].ToString(),
            Response: r["response"].ToString())).ToList();
        Assert.Equal(counts.Reviews, rows.Count);

        var perProduct = rows.GroupBy(r => r.Product).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(3000 - perProduct.Count, 150, 400);             // some products have no reviews
        Assert.True(perProduct.Values.Count(n => n <= 5) > 1500);       // many have a few
        Assert.True(perProduct.Values.Count(n => n >= 100) >= 10);      // some have hundreds
        Assert.InRange(counts.Photos / (double)counts.Reviews, 0.4, 0.65);
        Assert.InRange(counts.Characteristics / 3000.0, 3, 5);
        Assert.InRange(rows.Count(r => r.Reported == "true"), 1, counts.Reviews / 20);
        Assert.Contains(rows, r => r.Body.Contains('\n'));
        Assert.Contains(rows, r => r.Body.Contains('"'));
        Assert.Contains(rows, r => r.Body.Contains(','));
        Assert.Contains(rows, r => r.Body.Any(c => c > 127));
        Assert.Contains(rows, r => r.Response == "null");
        Assert.Contains(rows, r => r.Response != "null");
        Assert.All(rows, r => Assert.InRange(r.Date, 1_500_000_000_000, 1_700_000_000_000));

        using var characteristics = Sep.Reader().FromFile(Path.Combine(root, LegacyFile.Characteristics.Name));
        var names = characteristics.Enumerate(r => r["name"].ToString().Trim('"')).Distinct().Order();
        Assert.Equal(["Comfort", "Fit", "Length", "Quality", "Size", "Width"], names);

        // Every review rates every characteristic of its product.
        Assert.Equal(counts.Ratings, File.ReadLines(Path.Combine(root, LegacyFile.Ratings.Name)).LongCount() - 1);
    }
}
