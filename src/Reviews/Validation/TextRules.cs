using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Reviews.Validation;

/// <summary>
/// What text the service stores, one set of rules for the API's POST body and the importer's rows alike:
/// Unicode (no lone surrogate), no NUL (PostgreSQL text cannot hold it), no control characters but, in text that
/// may run over lines, tab and line breaks; ids in plain ASCII digits; e-mail addresses and photo URLs in one piece.
/// </summary>
public static partial class TextRules
{
    public const int MaxUrlLength = 2048;

    // The characters that need a closer look: control characters and surrogates. Text is searched for them with
    // vector instructions (the importer checks gigabytes); most text holds none, or only line breaks.
    static readonly SearchValues<char> Suspect = SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Concat(Enumerable.Range(0xD800, 0x800)).Select(c => (char)c).ToArray());

    /// <summary>What is wrong with the text, or null when it may be stored.</summary>
    public static string? Problem(ReadOnlySpan<char> text, bool multiline)
    {
        for (var i = text.IndexOfAny(Suspect); i >= 0; i = Next(text, i + 1))
        {
            var c = text[i];
            if (c == '\0')
                return "contains a NUL character";
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return "contains half of a UTF-16 surrogate pair, which is not a character";
            else if (!(multiline && c is '\t' or '\n' or '\r'))
                return $"contains the control character U+{(int)c:X4}";
        }
        return null;
    }

    static int Next(ReadOnlySpan<char> text, int from)
    {
        var at = from < text.Length ? text[from..].IndexOfAny(Suspect) : -1;
        return at < 0 ? -1 : from + at;
    }

    /// <summary>A positive 64-bit id written in ASCII digits and nothing else (no sign, space or trailing NUL).</summary>
    public static bool TryPositiveId(ReadOnlySpan<char> text, out long id)
    {
        id = 0;
        return IsDigits(text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }

    /// <summary>An integer written in ASCII digits and nothing else.</summary>
    public static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        return IsDigits(text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    // ASCII digits and nothing else: .NET's number parsing also lets a trailing NUL through ("1\0").
    static bool IsDigits(ReadOnlySpan<char> text) => text.Length > 0 && text.IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Looks like an address: something, @, a domain with a dot; no space, control character or second @.</summary>
    public static bool IsEmail(string text) => EmailShape().IsMatch(text);

    /// <summary>An absolute http(s) URL of at most <see cref="MaxUrlLength"/> characters, with no space or control character.</summary>
    public static bool IsPhotoUrl(string text) =>
        text.Length <= MaxUrlLength && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex(@"^[^@\s\p{C}]+@[^@\s\p{C}]+\.[^@\s\p{C}]+\z")]
    private static partial Regex EmailShape();
}
