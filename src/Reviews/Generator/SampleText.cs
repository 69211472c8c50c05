using System.Globalization;
using System.Text;

namespace Reviews.Generator;

/// <summary>
/// The generated rows' words, names and numbers, drawn from the generator's random stream (the same seed gives the same
/// text): commas, quotes, line breaks and non-ASCII characters included, as in the real export.
/// </summary>
sealed class SampleText(Random random)
{
    public Random Random => random;

    static readonly string[] Words =
    [
        "great", "fit", "comfortable", "quality", "color", "size", "fabric", "soft", "price", "love", "perfect",
        "small", "large", "wash", "shipping", "style", "warm", "light", "daily", "gift", "café", "naïve", "déjà vu",
        "Größe", "très", "bien", "日本", "👍", "🔥", "\"wow\"", "really,", "so-so", "it's", "O'Neil",
    ];

    static readonly string[] Names = ["funtime", "shopaddict", "maya", "jörg", "chloé", "bigbrother", "night_owl", "o'hara", "renée", "li.wei"];
    static readonly string[] Domains = ["gmail.com", "example.com", "mail.example", "yahoo.com"];
    static readonly string[] Responses = ["Thanks for the feedback!", "Glad you're enjoying the product!", "Sorry to hear that, please contact us, we'll help."];

    public int Helpfulness() => random.NextDouble() < 0.3 ? 0 : (int)(-Math.Log(1 - random.NextDouble()) * 6);

    public string Sentence(int min, int max)
    {
        var words = new string[random.Next(min, max + 1)];
        for (var i = 0; i < words.Length; i++)
            words[i] = Words[random.Next(Words.Length)];
        var text = string.Join(' ', words);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    public string Body()
    {
        var sentences = random.Next(1, 6);
        var body = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0)
                body.Append(random.NextDouble() < 0.1 ? "\n" : " ");
            body.Append(Sentence(4, 16)).Append('.');
        }
        return body.ToString();
    }

    public string Name() => Names[random.Next(Names.Length)] + random.Next(1, 1000).ToString(CultureInfo.InvariantCulture);

    public string Email() => $"user{random.Next(1, 1_000_000)}@{Domains[random.Next(Domains.Length)]}";

    public string Response() => random.NextDouble() < 0.1 ? CsvOut.Quote(Responses[random.Next(Responses.Length)]) : "null";

}
