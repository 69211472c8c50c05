using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;
using Reviews.Store;
using Reviews.Validation;

namespace Reviews.Api;

/// <summary>Reads the query string by hand, so that every bad value gets the contract's 422 and wording.</summary>
public static class QueryParameters
{
    public const int MaxCount = 10_000;

    /// <summary>One value, a positive id in plain digits (TextRules: no sign, space or trailing NUL).</summary>
    public static bool TryId(StringValues values, out long id)
    {
        id = 0;
        return values.Count == 1 && TextRules.TryPositiveId(values[0], out id);
    }

    public static bool TryProductId(HttpRequest request, out long productId) =>
        TryId(request.Query["product_id"], out productId);

    /// <summary>page, count and sort, with their defaults; an empty value counts as absent.</summary>
    public static bool TryPaging(HttpRequest request, out int page, out int count, out ReviewSort sort,
        [NotNullWhen(false)] out string? error)
    {
        (page, count, sort, error) = (1, 5, ReviewSort.Relevant, null);
        var query = request.Query;
        if (!TryInt(query["page"], 1, int.MaxValue, ref page))
            error = "page must be a positive integer (1, 2, …).";
        else if (!TryInt(query["count"], 1, MaxCount, ref count))
            error = $"count must be an integer from 1 to {MaxCount}.";
        else if (!TrySort(query["sort"], ref sort))
            error = "sort must be one of: newest, helpful, relevant.";
        return error is null;
    }

    /// <summary>An optional integer from <paramref name="min"/> to <paramref name="max"/>; absent or empty leaves <paramref name="value"/> as it is.</summary>
    public static bool TryInt(StringValues values, int min, int max, ref int value)
    {
        if (StringValues.IsNullOrEmpty(values))
            return true;
        return values.Count == 1 && TextRules.TryDigits(values[0], out value)
            && value >= min && value <= max;
    }

    static bool TrySort(StringValues values, ref ReviewSort sort)
    {
        if (StringValues.IsNullOrEmpty(values))
            return true;
        ReviewSort? parsed = values.Count == 1 ? values[0] switch
        {
            "relevant" => ReviewSort.Relevant,
            "newest" => ReviewSort.Newest,
            "helpful" => ReviewSort.Helpful,
            _ => null,
        } : null;
        sort = parsed ?? sort;
        return parsed is not null;
    }
}
