using Reviews.Generator;
using Reviews.LegacyCsv;

namespace Reviews.Tests.Generator;

public sealed class GeneratorPlanTests : IDisposable
{
    readonly string root = TempFiles.Path("plan");

    public void Dispose()
    {
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Every_count_of_a_plan_is_met_exactly_ratings_included()
    {
        // The full plan's proportions at 1/100 size, with an exact ratings target as --full has.
        var plan = new GeneratorPlan(10_000, 57_749, 27_425, 33_477, 193_276);
        var counts = new DataGenerator(plan, seed: 4).Write(root);
        Assert.Equal(new GeneratedCounts(10_000, 57_749, 27_425, 33_477, 193_276, 0), counts);
        Assert.Equal(193_276, File.ReadLines(Path.Combine(root, LegacyFile.Ratings.Name)).LongCount() - 1);
    }

    [Fact]
    public void The_full_plan_has_the_legacy_counts() =>
        Assert.Equal(new GeneratorPlan(1_000_011, 5_774_952, 2_742_540, 3_347_679, 19_327_575), GeneratorPlan.Full);
}
