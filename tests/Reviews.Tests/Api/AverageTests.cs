using System.Numerics;
using CsCheck;
using Reviews.Contract;

namespace Reviews.Tests.Api;

/// <summary>The 16-decimal average, without a database: its shape and its rounding, as properties.</summary>
public sealed class AverageTests
{
    static readonly BigInteger Scale = BigInteger.Pow(10, 16);

    [Fact]
    public void Every_average_has_exactly_16_decimals_and_is_the_nearest_such_number_ties_away_from_zero() =>
        Gen.Select(Gen.Long[-50_000_000_000, 50_000_000_000], Gen.Long[1, 20_000_000_000]).Sample((sum, count) =>
        {
            var text = Average.Format(sum, count);
            Assert.Matches(@"^-?[0-9]+\.[0-9]{16}$", text);
            // Checked by multiplying back, not by dividing again: |text × count − sum| ≤ count / 2 (in units of 10^-16),
            // and an exact half goes away from zero.
            var scaled = BigInteger.Parse(text.Replace(".", ""));
            var error = scaled * count - sum * Scale;
            Assert.True(BigInteger.Abs(error) * 2 <= count, $"{text} is not the nearest to {sum}/{count}");
            if (BigInteger.Abs(error) * 2 == count)
                Assert.True(BigInteger.Abs(scaled * count) > BigInteger.Abs(sum * Scale), $"{sum}/{count}: a tie rounds away from zero");
        });

    [Theory]
    [InlineData(11, 3, "3.6666666666666667")]
    [InlineData(4, 1, "4.0000000000000000")]
    [InlineData(13, 3, "4.3333333333333333")]
    [InlineData(3, 3, "1.0000000000000000")] // raw avg() text would have 20 decimals here
    [InlineData(-7, 3, "-2.3333333333333333")]
    public void Known_values(long sum, long count, string expected) => Assert.Equal(expected, Average.Format(sum, count));
}
