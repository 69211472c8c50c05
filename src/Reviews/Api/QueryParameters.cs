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

    public const int MaxSearchLength = 200;

    /// <summary>
    /// The shopper's filter (rating=4,5, q=words, with_photos=true), or null when none is given (or only
    /// with_photos=false): the legacy list, exactly. An empty value counts as absent.
    /// </summary>
    public static bool TryFilter(HttpRequest request, out ReviewFilter? filter, [NotNullWhen(false)] out string? error)
    {
        (filter, error) = (null, null);
        var query = request.Query;
        var stars = 0;
        if (!StringValues.IsNullOrEmpty(query["rating"]))
        {
            if (query["rating"].Count != 1 || !TryStars(query["rating"][0]!, out stars))
                error = "rating must be one or more stars from 1 to 5, comma-separated (rating=4,5).";
        }
        string? search = null;
        if (error is null && !StringValues.IsNullOrEmpty(query["q"]))
        {
            // Lower-cased here, for every alphabet: PostgreSQL's text search folds case by the database's locale
            // (with C, ASCII letters only), and the stored text is mostly lower case already.
            search = query["q"].Count == 1 ? query["q"][0]!.Trim().ToLowerInvariant() : null;
            if (search is not { Length: > 0 and <= MaxSearchLength } || TextRules.Problem(search, multiline: false) is not null)
                error = $"q must be 1 to {MaxSearchLength} characters of text: words, \"a phrase\", -excluded, or.";
        }
        var withPhotos = false;
        if (error is null && !StringValues.IsNullOrEmpty(query["with_photos"]))
        {
            if (query["with_photos"] is not { Count: 1 } given || given[0] is not ("true" or "false"))
                error = "with_photos must be true or false.";
            else
                withPhotos = given[0] == "true";
        }
        if (error is not null)
            return false;
        if (stars != 0 || search is not null || withPhotos)
            filter = new ReviewFilter(stars, search, withPhotos);
        return true;
    }

    static bool TryStars(string text, out int stars)
    {
        stars = 0;
        foreach (var part in text.Split(','))
        {
            if (part.Length != 1 || part[0] is < '1' or > '5')
                return false;
            stars |= 1 << (part[0] - '1');
        }
        return true;
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
