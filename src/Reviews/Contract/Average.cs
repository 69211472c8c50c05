namespace Reviews.Contract;

/// <summary>The contract's averages.</summary>
public static class Average
{
    /// <summary>
    /// sum / count with exactly 16 decimals, rounded half away from zero: the text PostgreSQL gives for
    /// avg() of small integers, which the legacy API sent ("3.6666666666666667"). Exact integer arithmetic.
    /// </summary>
    public static string Format(long sum, long count)
    {
        const long Scale = 10_000_000_000_000_000; // 10^16
        var scaled = (Int128)sum * Scale;
        var quotient = Int128.DivRem(scaled, count);
        var rounded = quotient.Quotient + (2 * Int128.Abs(quotient.Remainder) >= count ? Int128.Sign(scaled) : 0);
        var sign = rounded < 0 ? "-" : "";
        var magnitude = Int128.Abs(rounded);
        return $"{sign}{magnitude / Scale}.{magnitude % Scale:D16}";
    }
}
