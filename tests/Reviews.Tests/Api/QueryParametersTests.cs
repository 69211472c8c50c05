using System.Numerics;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.AspNetCore.Http;
using Reviews.Api;
using Reviews.Store;

namespace Reviews.Tests.Api;

/// <summary>The query string rules, without a server: an id or a number is plain decimal digits and nothing else.</summary>
public sealed partial class QueryParametersTests
{
    static HttpRequest Request(string query) => new DefaultHttpContext { Request = { QueryString = new QueryString(query) } }.Request;

    [GeneratedRegex(@"^[0-9]+\z")]
    private static partial Regex Digits();

    /// <summary>The rule, written independently of the parser: digits only, and a value from 1 to long.MaxValue.</summary>
    static bool IsPositiveId(string text) =>
        Digits().IsMatch(text) && BigInteger.Parse(text) is var value && value >= 1 && value <= long.MaxValue;

    // Digits, and the characters that have slipped past number parsers: signs, spaces, NUL, separators, letters.
    static readonly Gen<string> Texts = Gen.Char["01790123456789-+ \0.,ex\n٣"].Array[0, 22].Select(chars => new string(chars));

    [Fact]
    public void A_product_id_is_accepted_exactly_when_it_is_a_positive_integer_in_plain_digits() =>
        Texts.Sample(text =>
        {
            var accepted = QueryParameters.TryProductId(Request("?product_id=" + Uri.EscapeDataString(text)), out var id);
            Assert.Equal(IsPositiveId(text), accepted);
            if (accepted)
                Assert.Equal(BigInteger.Parse(text), id);
        });

    [Fact]
    public void Every_positive_long_is_a_product_id() =>
        Gen.Long[1, long.MaxValue].Sample(n =>
        {
            Assert.True(QueryParameters.TryProductId(Request($"?product_id={n}"), out var id));
            Assert.Equal(n, id);
        });

    [Fact]
    public void Count_is_accepted_from_1_to_the_maximum_and_page_from_1() =>
        Gen.Select(Gen.Long[-5, 20_000], Gen.Long[-5, 3_000_000_000]).Sample((count, page) =>
        {
            var ok = QueryParameters.TryPaging(Request($"?count={count}&page={page}"), out var p, out var c, out _, out var error);
            Assert.Equal(count is >= 1 and <= QueryParameters.MaxCount && page is >= 1 and <= int.MaxValue, ok);
            if (ok)
                Assert.Equal((page, count), (p, c));
            else
                Assert.NotNull(error);
        });

    [Theory]
    [InlineData("", 1, 5, ReviewSort.Relevant)]
    [InlineData("?page=&count=&sort=", 1, 5, ReviewSort.Relevant)] // empty counts as absent
    [InlineData("?sort=newest&page=3&count=10000", 3, 10_000, ReviewSort.Newest)]
    [InlineData("?sort=helpful", 1, 5, ReviewSort.Helpful)]
    public void Defaults_and_sorts(string query, int page, int count, ReviewSort sort)
    {
        Assert.True(QueryParameters.TryPaging(Request(query), out var p, out var c, out var s, out _));
        Assert.Equal((page, count, sort), (p, c, s));
    }

    [Theory]
    [InlineData("?sort=Newest")]
    [InlineData("?sort=newest&sort=helpful")]
    [InlineData("?page=1&page=2")]
    [InlineData("?count=5%00")]
    [InlineData("?page=1%00")]
    public void Anything_else_is_refused_with_a_reason(string query)
    {
        Assert.False(QueryParameters.TryPaging(Request(query), out _, out _, out _, out var error));
        Assert.NotEmpty(error);
    }
}
