using System.Text.Json;
using Reviews.Contract;
using Reviews.Store;
using Reviews.Validation;

namespace Reviews.Writing;

/// <summary>
/// Checks a POST /reviews body field by field. It reads the JSON tree rather than binding a type, so a
/// wrong type is reported against its field (422) instead of failing the whole body as unreadable (400).
/// </summary>
public static class NewReviewParser
{
    public static NewReview? Parse(JsonElement root, Dictionary<string, string> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = "The body must be a JSON object.";
            return null;
        }

        var productId = Integer(root, "product_id", 1, long.MaxValue, errors);
        var rating = Integer(root, "rating", ReviewLimits.MinRating, ReviewLimits.MaxRating, errors);
        var summary = Text(root, "summary", 0, ReviewLimits.MaxSummary, errors, required: false);
        var body = Text(root, "body", 1, ReviewLimits.MaxBody, errors, multiline: true);
        var recommend = Boolean(root, "recommend", errors);
        var name = Text(root, "name", 1, ReviewLimits.MaxName, errors);
        var email = Text(root, "email", 1, ReviewLimits.MaxEmail, errors);
        if (email is not null && !TextRules.IsEmail(email))
        {
            errors["email"] = "email must look like an address (name@example.com).";
            email = null;
        }
        var photos = Photos(root, errors);
        var (ids, values) = Characteristics(root, errors);

        if (errors.Count > 0)
            return null;
        return new NewReview(productId!.Value, (short)rating!.Value, summary ?? "", body!, recommend!.Value,
            name!, email!, photos, ids, values);
    }

    static long? Integer(JsonElement root, string field, long min, long max, Dictionary<string, string> errors)
    {
        if (root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var number) && number >= min && number <= max)
            return number;
        errors[field] = max == long.MaxValue
            ? $"{field} is required and must be a positive integer."
            : $"{field} is required and must be an integer from {min} to {max}.";
        return null;
    }

    static string? Text(JsonElement root, string field, int min, int max, Dictionary<string, string> errors,
        bool required = true, bool multiline = false)
    {
        var present = root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;
        if (!present && !required)
            return null;
        if (present && value.ValueKind == JsonValueKind.String)
        {
            if ((StringOf(value) is { } valid ? TextRules.Problem(valid, multiline) : NotUnicode) is { } problem)
            {
                errors[field] = $"{field} {problem}.";
                return null;
            }
            var text = value.GetString()!;
            var length = text.EnumerateRunes().Count();
            if (length >= min && length <= max)
                return text;
        }
        errors[field] = (required ? $"{field} is required and must be a string" : $"{field} must be a string")
            + (min > 0 ? $" of {min} to {max} characters." : $" of at most {max} characters.");
        return null;
    }

    static bool? Boolean(JsonElement root, string field, Dictionary<string, string> errors)
    {
        if (root.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        errors[field] = $"{field} is required and must be true or false.";
        return null;
    }

    static string[] Photos(JsonElement root, Dictionary<string, string> errors)
    {
        if (!root.TryGetProperty("photos", out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        var rule = $"photos must be an array of at most {ReviewLimits.MaxPhotos} absolute http(s) URLs of at most {ReviewLimits.MaxPhotoUrl} characters, without spaces.";
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > ReviewLimits.MaxPhotos)
        {
            errors["photos"] = rule;
            return [];
        }
        var urls = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && StringOf(item) is { } url && TextRules.IsPhotoUrl(url))
                urls.Add(url);
            else
                errors["photos"] = rule;
        }
        return [.. urls];
    }

    static (long[] Ids, short[] Values) Characteristics(JsonElement root, Dictionary<string, string> errors)
    {
        if (!root.TryGetProperty("characteristics", out var value) || value.ValueKind == JsonValueKind.Null)
            return ([], []);
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors["characteristics"] = "characteristics must be an object of characteristic ids to ratings from 1 to 5.";
            return ([], []);
        }
        var ratings = new SortedDictionary<long, short>();
        foreach (var property in value.EnumerateObject())
        {
            var key = NameOf(property);
            if (key is null || !TextRules.TryPositiveId(key, out var id) || !ratings.TryAdd(id, (short)0))
            {
                errors["characteristics"] = key is null || TextRules.Problem(key, multiline: false) is not null
                    ? "characteristics has a key that is not a characteristic id (a positive integer in digits)."
                    : $"\"{key}\" is not a characteristic id (a positive integer, once).";
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt16(out var rating) && rating is >= 1 and <= 5)
                ratings[id] = rating;
            else
                errors["characteristics"] = $"The rating of characteristic {id} must be an integer from 1 to 5.";
        }
        return ([.. ratings.Keys], [.. ratings.Values]);
    }

    const string NotUnicode = "is not Unicode text (broken UTF-8, or half of a surrogate pair)";

    // The JSON reader checks the document's structure; a string's own bytes and escapes are checked when read.
    static string? StringOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    static string? NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
