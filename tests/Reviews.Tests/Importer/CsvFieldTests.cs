using CsCheck;
using Reviews.Importer;

namespace Reviews.Tests.Importer;

/// <summary>One CSV field's rules, without a file or a database.</summary>
public sealed class CsvFieldTests
{
    [Theory]
    [InlineData("null", true, false)]
    [InlineData("\"null\"", false, true)] // the quoted word is text
    [InlineData("\"\"", false, true)]
    [InlineData("nul", false, false)]
    public void The_bare_word_null_is_the_null_marker_and_a_quoted_one_is_text(string raw, bool isNull, bool quoted)
    {
        Assert.Equal(isNull, new CsvField(raw).IsNullMarker);
        Assert.Equal(quoted, new CsvField(raw).IsQuoted);
    }

    [Fact]
    public void Every_long_reads_back_quoted_or_not() =>
        Gen.Long.Sample(n =>
        {
            Assert.True(new CsvField(n.ToString()).TryLong(out var bare) && bare == n);
            Assert.True(new CsvField($"\"{n}\"").TryLong(out var quoted) && quoted == n);
            Assert.Equal(n > 0, new CsvField(n.ToString()).TryPositiveId(out _));
        });

    [Fact]
    public void An_integer_is_accepted_exactly_within_its_range() =>
        Gen.Long[-20, 20].Sample(n => Assert.Equal(n is >= 1 and <= 5, new CsvField(n.ToString()).TryInt(1, 5, out _)));

    [Fact]
    public void Epoch_milliseconds_are_utc_instants() =>
        Gen.Long[0, 4_102_444_800_000].Sample(ms =>
        {
            Assert.True(new CsvField(ms.ToString()).TryEpochMilliseconds(out var date));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime, date);
            Assert.Equal(DateTimeKind.Utc, date.Kind);
        });

    [Theory]
    [InlineData("true", true, true)]
    [InlineData("false", true, false)]
    [InlineData("TRUE", false, false)]
    [InlineData("1", false, false)]
    [InlineData("yes", false, false)]
    public void Booleans_are_spelt_true_or_false(string raw, bool valid, bool value)
    {
        Assert.Equal(valid, new CsvField(raw).TryBool(out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData("\"abc", true)]
    [InlineData("\"a\"\"b", true)]
    [InlineData("\"a\"\"b\"", false)]
    [InlineData("abc", false)]
    public void An_odd_number_of_quotes_is_an_unclosed_field(string raw, bool unclosed) =>
        Assert.Equal(unclosed, new CsvField(raw).IsUnclosedQuote);
}
