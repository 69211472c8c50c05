using System.Globalization;

namespace Reviews.Importer;

/// <summary>
/// One raw CSV field as it stands in the file (quotes included), so that the unquoted <c>null</c>
/// marker (SQL NULL) can be told apart from the quoted text <c>"null"</c>.
/// </summary>
public readonly ref struct CsvField(ReadOnlySpan<char> raw)
{
    readonly ReadOnlySpan<char> raw = raw;

    public bool IsQuoted => raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"';

    public bool IsNullMarker => raw.SequenceEqual("null");

    /// <summary>Opens with a quote that never closes: an odd number of quotes in all.</summary>
    public bool IsUnclosedQuote => raw.Length > 0 && raw[0] == '"' && raw.Count('"') % 2 == 1;

    /// <summary>The field without its quotes, for numbers and booleans (some exports quote everything).</summary>
    ReadOnlySpan<char> Bare => IsQuoted ? raw[1..^1] : raw;

    public bool TryLong(out long value) =>
        long.TryParse(Bare, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public bool TryPositiveId(out long value) => TryLong(out value) && value > 0;

    public bool TryInt(int min, int max, out int value) =>
        int.TryParse(Bare, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    public bool TryBool(out bool value)
    {
        value = Bare.SequenceEqual("true");
        return value || Bare.SequenceEqual("false");
    }

    /// <summary>Milliseconds since the Unix epoch, UTC.</summary>
    public bool TryEpochMilliseconds(out DateTime value)
    {
        value = default;
        if (!TryLong(out var ms) || ms < MinMs || ms > MaxMs)
            return false;
        value = DateTime.UnixEpoch.AddMilliseconds(ms);
        return true;
    }

    static readonly long MinMs = (long)(DateTime.MinValue - DateTime.UnixEpoch).TotalMilliseconds;
    static readonly long MaxMs = (long)(DateTime.MaxValue - DateTime.UnixEpoch).TotalMilliseconds;

    public override string ToString() => raw.Length > 40 ? raw[..40].ToString() + "…" : raw.ToString();
}
