namespace Reviews.Generator;

/// <summary>How many rows of each kind to write. The full plan has the legacy set's exact counts.</summary>
public sealed record GeneratorPlan(long Products, long Reviews, long Photos, long Characteristics, long? Ratings)
{
    /// <summary>The legacy data set: products 1…1,000,011 and the row counts of docs/data-format.md.</summary>
    public static GeneratorPlan Full { get; } = new(1_000_011, 5_774_952, 2_742_540, 3_347_679, 19_327_575);

    /// <summary>The full set's proportions for <paramref name="products"/> products (ratings follow from the rest).</summary>
    public static GeneratorPlan Scaled(long products) => new(
        products,
        Reviews: (long)Math.Round(products * (double)Full.Reviews / Full.Products),
        Photos: (long)Math.Round(products * (double)Full.Photos / Full.Products),
        Characteristics: (long)Math.Round(products * (double)Full.Characteristics / Full.Products),
        Ratings: null);
}
