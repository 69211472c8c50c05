namespace Reviews.Generator;

/// <summary>
/// Per product: how many characteristics (3–5) and reviews (skewed: many a few, some none, some hundreds);
/// per review: how many photos. Drawn at random, then nudged until the totals are exactly the plan's. These
/// arrays are small (a few bytes a product and one a review); the rows themselves are streamed.
/// </summary>
sealed class Quotas
{
    public byte[] Characteristics { get; }
    public int[] Reviews { get; }
    public byte[] Photos { get; }

    public Quotas(GeneratorPlan plan, Random random)
    {
        var products = checked((int)plan.Products);
        if (plan.Characteristics < 3L * products || plan.Characteristics > 5L * products)
            throw new ArgumentException($"{plan.Characteristics} characteristics cannot be spread 3 to 5 over {products} products.");

        Characteristics = new byte[products];
        for (var p = 0; p < products; p++)
            Characteristics[p] = (byte)(random.NextDouble() switch { < 0.1 => 5, < 0.3 => 4, _ => 3 });
        Adjust(Characteristics, plan.Characteristics, 3, 5, random);

        // Mostly 1 + ⌊Exp(m)⌋, 8% none, 1% hundreds; m is set so that the draw lands near the planned total
        // before the nudging (E⌊Exp(m)⌋ = 1 / (e^(1/m) − 1)).
        var average = plan.Reviews / (double)products;
        var tail = Math.Max(0.1, (average - 0.01 * 325 - 0.91) / 0.91);
        var tailMean = 1 / Math.Log(1 + 1 / tail);
        Reviews = new int[products];
        for (var p = 0; p < products; p++)
        {
            var u = random.NextDouble();
            Reviews[p] = u < 0.08 ? 0 : u < 0.09 ? 50 + random.Next(550) : 1 + (int)(-Math.Log(1 - random.NextDouble()) * tailMean);
        }
        Adjust(Reviews, plan.Reviews, 0, int.MaxValue, random, keepZeros: true);
        if (plan.Ratings is { } ratings)
            MatchRatings(ratings, random);

        Photos = new byte[checked((int)plan.Reviews)];
        for (var r = 0; r < Photos.Length; r++)
            Photos[r] = random.NextDouble() < 0.62 ? (byte)0 : (byte)(random.NextDouble() switch { < 0.7 => 1, < 0.9 => 2, _ => 3 + random.Next(3) });
        Adjust(Photos, plan.Photos, 0, 5, random);
    }

    /// <summary>
    /// Adds or takes one at random places (within min…max) until the values sum to the target; with
    /// <paramref name="keepZeros"/>, never adds to a zero (a product without reviews stays without).
    /// </summary>
    static void Adjust<T>(T[] values, long target, int min, int max, Random random, bool keepZeros = false) where T : struct, System.Numerics.INumber<T>
    {
        var sum = values.Aggregate(0L, (s, v) => s + long.CreateTruncating(v));
        if (values.Length == 0 || target < (long)min * values.Length || target > (long)max * values.Length)
            throw new ArgumentException($"A total of {target} cannot be spread over {values.Length} rows.");
        while (sum != target)
        {
            var i = random.Next(values.Length);
            var value = int.CreateTruncating(values[i]);
            if (sum < target && value < max && !(keepZeros && value == 0))
            {
                values[i] = T.CreateTruncating(value + 1);
                sum++;
            }
            else if (sum > target && value > min)
            {
                values[i] = T.CreateTruncating(value - 1);
                sum--;
            }
        }
    }

    /// <summary>
    /// Every review rates each of its product's characteristics, so ratings = Σ reviews × characteristics.
    /// Moving a review between products whose counts differ by one changes that sum by one and no other total.
    /// </summary>
    void MatchRatings(long target, Random random)
    {
        var ratings = 0L;
        for (var p = 0; p < Reviews.Length; p++)
            ratings += (long)Reviews[p] * Characteristics[p];
        var byCount = Enumerable.Range(3, 3).ToDictionary(c => c, c => Enumerable.Range(0, Reviews.Length).Where(p => Characteristics[p] == c).ToArray());
        while (ratings != target)
        {
            var low = random.Next(3, 5); // a move between low and low + 1 characteristics
            var (from, to) = ratings < target ? (low, low + 1) : (low + 1, low);
            if (byCount[from].Length == 0 || byCount[to].Length == 0)
                continue;
            var source = byCount[from][random.Next(byCount[from].Length)];
            var destination = byCount[to][random.Next(byCount[to].Length)];
            if (Reviews[source] == 0 || Reviews[destination] == 0) // products without reviews stay without
                continue;
            Reviews[source]--;
            Reviews[destination]++;
            ratings += ratings < target ? 1 : -1;
        }
    }
}
