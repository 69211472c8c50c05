using System.ComponentModel;
using Reviews.Store;

namespace Reviews.Contract;

/// <summary>A product's rating summary (GET /reviews/meta), over its non-reported reviews.</summary>
public sealed record Meta(
    [property: Description("The product id, as a string.")] string ProductId,
    [property: Description("Count of each rating \"1\"…\"5\" that occurs, as strings; absent ratings have no key.")] Dictionary<string, string> Ratings,
    [property: Description("Counts of \"false\" and \"true\", as strings; a zero count has no key.")] Dictionary<string, string> Recommended,
    [property: Description("One entry per characteristic name of the product.")] Dictionary<string, CharacteristicSummary> Characteristics)
{
    public static Meta From(long productId, ProductTotals totals)
    {
        var meta = new Meta(productId.ToString(), [], [], []);
        for (var i = 0; i < totals.Ratings.Length; i++)
            AddCount(meta.Ratings, (i + 1).ToString(), totals.Ratings[i]);
        AddCount(meta.Recommended, "false", totals.NotRecommended);
        AddCount(meta.Recommended, "true", totals.Recommended);
        // A product may carry two characteristics of one name; the first (lowest id) stands for it.
        foreach (var c in totals.Characteristics)
            meta.Characteristics.TryAdd(c.Name, new CharacteristicSummary(c.Id, c.Count == 0 ? null : Average.Format(c.Sum, c.Count)));
        return meta;
    }

    static void AddCount(Dictionary<string, string> counts, string key, long value)
    {
        if (value > 0)
            counts[key] = value.ToString();
    }
}
