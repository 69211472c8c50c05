using CsCheck;
using Reviews.Writing;
using Reviews.Store;

namespace Reviews.Tests.Api;

/// <summary>The POST body's rules, without a server: each broken rule is named against its field, and nothing else is.</summary>
public sealed class NewReviewParserTests
{
    static (NewReview? Review, Dictionary<string, string> Errors) Parse(JsonNode body)
    {
        var errors = new Dictionary<string, string>();
        using var document = JsonDocument.Parse(body.ToJsonString());
        return (NewReviewParser.Parse(document.RootElement, errors), errors);
    }

    [Fact]
    public void A_valid_body_becomes_the_review_it_describes()
    {
        var (review, errors) = Parse(WriteTests.ValidReview());
        Assert.Empty(errors);
        Assert.Equal((3L, (short)4, "Solid", "Fits as expected, \"really\".", true, "newbie", "newbie@example.com"),
            (review!.ProductId, review.Rating, review.Summary, review.Body, review.Recommend, review.Name, review.Email));
        Assert.Equal(["https://images.example/1.jpg", "http://images.example/2.jpg"], review.Photos);
        Assert.Equal([4L], review.CharacteristicIds);
        Assert.Equal([(short)5], review.CharacteristicValues);
    }

    [Theory]
    [InlineData("product_id")]
    [InlineData("rating")]
    [InlineData("body")]
    [InlineData("recommend")]
    [InlineData("name")]
    [InlineData("email")]
    public void A_missing_required_field_is_named_and_only_it(string field)
    {
        var body = WriteTests.ValidReview();
        body.Remove(field);
        var (review, errors) = Parse(body);
        Assert.Null(review);
        Assert.Equal([field], errors.Keys);
    }

    [Theory]
    [InlineData("summary")]
    [InlineData("photos")]
    [InlineData("characteristics")]
    public void An_optional_field_may_be_missing_or_null(string field)
    {
        var body = WriteTests.ValidReview();
        body.Remove(field);
        Assert.Empty(Parse(body).Errors);
        body[field] = null;
        Assert.Empty(Parse(body).Errors);
    }

    [Fact]
    public void The_rating_is_accepted_exactly_from_1_to_5() =>
        Gen.Long[-10, 20].Sample(rating =>
        {
            var body = WriteTests.ValidReview();
            body["rating"] = rating;
            Assert.Equal(rating is >= 1 and <= 5, Parse(body).Errors.Count == 0);
        });

    [Fact]
    public void Text_lengths_are_counted_in_characters_not_utf16_units() =>
        // "🔥" is two UTF-16 units and one character: 1000 of them are a body of 1000 characters.
        Gen.Int[0, 1100].Select(Gen.Bool).Sample((length, emoji) =>
        {
            var body = WriteTests.ValidReview();
            body["body"] = string.Concat(Enumerable.Repeat(emoji ? "🔥" : "a", length));
            var errors = Parse(body).Errors;
            Assert.Equal(length is >= 1 and <= 1000, !errors.ContainsKey("body"));
        });

    [Fact]
    public void Photos_are_at_most_five_absolute_http_urls() =>
        Gen.Int[0, 8].Select(Gen.OneOf("https://a.example/p.jpg", "http://b.example/q", "ftp://c.example/x", "/relative.jpg", "not a url")).Sample((n, url) =>
        {
            var body = WriteTests.ValidReview();
            body["photos"] = new JsonArray([.. Enumerable.Repeat<JsonNode?>(url, n).Select(u => (JsonNode?)JsonValue.Create((string?)u))]);
            var good = n <= 5 && (n == 0 || url.StartsWith("http", StringComparison.Ordinal));
            Assert.Equal(good, !Parse(body).Errors.ContainsKey("photos"));
        });

    [Theory]
    [InlineData("""{"x": 3}""")]
    [InlineData("""{"0": 3}""")]
    [InlineData("""{"4": 6}""")]
    [InlineData("""{"4": "5"}""")]
    [InlineData("""[4, 5]""")]
    public void Characteristics_are_ids_to_ratings_from_1_to_5(string characteristics)
    {
        var body = WriteTests.ValidReview();
        body["characteristics"] = JsonNode.Parse(characteristics);
        Assert.Equal(["characteristics"], Parse(body).Errors.Keys);
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_one_error() =>
        Assert.Equal(["$"], Parse(new JsonArray()).Errors.Keys);
}
