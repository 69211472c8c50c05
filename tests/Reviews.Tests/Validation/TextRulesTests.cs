using System.Text;
using CsCheck;
using Reviews.Validation;

namespace Reviews.Tests.Validation;

/// <summary>The stored-text rules, against a plain reading of them on generated text.</summary>
public sealed class TextRulesTests
{
    // Letters, line breaks and tabs, NUL and other control characters, both halves of a surrogate pair, emoji.
    static readonly Gen<string> Texts = Gen.OneOf(
        Gen.Const("a"), Gen.Const("é"), Gen.Const(" "), Gen.Const("\n"), Gen.Const("\r"), Gen.Const("\t"), Gen.Const("\0"),
        Gen.Const("\u0007"), Gen.Const("\u007F"), Gen.Const("\u0085"), Gen.Const("🔥"), Gen.Const("\uD83D"), Gen.Const("\uDD25"))
        .Array[0, 12].Select(parts => string.Concat(parts));

    /// <summary>The rule as the README states it, rune by rune.</summary>
    static bool Acceptable(string text, bool multiline)
    {
        for (var i = 0; i < text.Length; i += Rune.TryGetRuneAt(text, i, out var r) ? r.Utf16SequenceLength : 1)
        {
            if (!Rune.TryGetRuneAt(text, i, out var rune))
                return false;                           // half a surrogate pair
            if (Rune.IsControl(rune) && !(multiline && rune.Value is '\t' or '\n' or '\r'))
                return false;                           // NUL included
        }
        return true;
    }

    [Fact]
    public void Text_is_accepted_exactly_when_it_is_unicode_without_control_characters() =>
        Gen.Select(Texts, Gen.Bool).Sample((text, multiline) =>
            Assert.Equal(Acceptable(text, multiline), TextRules.Problem(text, multiline) is null));

    [Theory]
    [InlineData("maya@example.com", true)]
    [InlineData("a.b+c@mail.example.co.uk", true)]
    [InlineData("maya@example.com\n", false)]
    [InlineData("maya smith@example.com", false)]
    [InlineData("maya@@example.com", false)]
    [InlineData("maya@example", false)]
    [InlineData("maya\u0000@example.com", false)]
    public void Email_addresses(string text, bool valid) => Assert.Equal(valid, TextRules.IsEmail(text));

    [Theory]
    [InlineData("https://images.example/1.jpg?w=975&q=80", true)]
    [InlineData("http://images.example/%20a.jpg", true)]
    [InlineData("https://images.example/a b.jpg", false)]
    [InlineData("https://images.example/a.jpg\n", false)]
    [InlineData("ftp://images.example/a.jpg", false)]
    [InlineData("/a.jpg", false)]
    public void Photo_urls(string text, bool valid) => Assert.Equal(valid, TextRules.IsPhotoUrl(text));
}
