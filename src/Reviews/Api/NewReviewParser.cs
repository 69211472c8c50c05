using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reviews.Store;

namespace Reviews.Api;

/// <summary>
/// Checks a POST /reviews body field by field. It reads the JSON tree rather than binding a type, so a
/// wrong type is reported against its field (422) instead of failing the whole body as unreadable (400).
/// </summary>
public static partial class NewReviewParser
{
    public const int MaxPhotos = 5;

    public static NewReview? Parse(JsonElement root, Dictionary<string, string> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = "The body must be a JSON object.";
            return null;
        }

        var productId = Integer(root, "product_id", 1, long.MaxValue, errors);
        var rating = Integer(root, "rating", 1, 5, errors);
        var summary = Text(root, "summary", 0, 60, errors, required: false);
        var body = Text(root, "body", 1, 1000, errors);
        var recommend = Boolean(root, "recommend", errors);
        var name = Text(root, "name", 1, 60, errors);
        var email = Text(root, "email", 1, 60, errors);
        if (email is not null && !EmailShape().IsMatch(email))
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

    static string? Text(JsonElement root, string field, int min, int max, Dictionary<string, string> errors, bool required = true)
    {
        var present = root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;
        if (!present && !required)
            return null;
        if (present && value.ValueKind == JsonValueKind.String)
        {
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
        const string Rule = "photos must be an array of at most 5 absolute http(s) URLs of at most 2048 characters.";
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxPhotos)
        {
            errors["photos"] = Rule;
            return [];
        }
        var urls = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: <= 2048 } url
                && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                urls.Add(url);
            else
                errors["photos"] = Rule;
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
            if (!long.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0
                || !ratings.TryAdd(id, (short)0))
            {
                errors["characteristics"] = $"\"{property.Name}\" is not a characteristic id (a positive integer, once).";
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt16(out var rating) && rating is >= 1 and <= 5)
                ratings[id] = rating;
            else
                errors["characteristics"] = $"The rating of characteristic {id} must be an integer from 1 to 5.";
        }
        return ([.. ratings.Keys], [.. ratings.Values]);
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();
}
