using System.Text;

namespace Reviews.Tests.Api;

/// <summary>
/// Every bad input gets a 4xx problem document that says what is wrong, and changes nothing: each test
/// compares a fingerprint of every table before and after.
/// </summary>
public sealed class BadInputTests(SharedSeededApi shared) : SharedSeededApiTest(shared), IAsyncLifetime
{
    string before = "";

    public async Task InitializeAsync() => before = await PostgresFixture.SnapshotAsync(Api.ConnectionString);

    // Each test's bad input changed nothing (the class shares one database, so a change would also show in the next test).
    public async Task DisposeAsync() => Assert.Equal(before, await PostgresFixture.SnapshotAsync(Api.ConnectionString));

    async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["type"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]), "every problem says what to do in its detail");
        return problem;
    }

    [Theory]
    [InlineData("/reviews")]
    [InlineData("/reviews?product_id=")]
    [InlineData("/reviews?product_id=abc")]
    [InlineData("/reviews?product_id=0")]
    [InlineData("/reviews?product_id=-1")]
    [InlineData("/reviews?product_id=1.5")]
    [InlineData("/reviews?product_id=%201")]
    [InlineData("/reviews?product_id=99999999999999999999")]
    [InlineData("/reviews?product_id=1&product_id=2")]
    [InlineData("/reviews/meta")]
    [InlineData("/reviews/meta?product_id=abc")]
    [InlineData("/reviews/meta?product_id=0")]
    [InlineData("/reviews/meta?product_id=-7")]
    [InlineData("/reviews/meta?product_id=99999999999999999999")]
    public async Task A_bad_product_id_is_a_422_with_the_legacy_wording(string url)
    {
        var problem = await Problem(await Api.Client.GetAsync(url), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Error: invalid product_id provided", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=x", "page")]
    [InlineData("page=99999999999", "page")]
    [InlineData("count=0", "count")]
    [InlineData("count=10001", "count")]
    [InlineData("count=-5", "count")]
    [InlineData("count=ten", "count")]
    [InlineData("sort=best", "sort")]
    [InlineData("sort=NEWEST", "sort")]
    public async Task A_bad_page_count_or_sort_is_a_422_naming_the_parameter_and_its_range(string query, string parameter)
    {
        var problem = await Problem(await Api.Client.GetAsync($"/reviews?product_id=1&{query}"), HttpStatusCode.UnprocessableEntity);
        var detail = (string)problem["detail"]!;
        Assert.StartsWith(parameter, detail);
        if (parameter == "count")
            Assert.Contains("1 to 10000", detail);
        if (parameter == "sort")
            Assert.Contains("newest, helpful, relevant", detail);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.0")]
    [InlineData("99999999999999999999")]
    public async Task A_bad_review_id_in_a_put_is_a_422_naming_it(string id)
    {
        foreach (var action in new[] { "helpful", "report" })
        {
            var problem = await Problem(await Api.Client.PutAsync($"/reviews/{id}/{action}", null), HttpStatusCode.UnprocessableEntity);
            Assert.Contains("review_id", (string?)problem["detail"]);
        }
    }

    static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static TheoryData<string, string, string> BadReviews()
    {
        var data = new TheoryData<string, string, string>();
        void Case(string field, Action<JsonObject> spoil, string? errorField = null)
        {
            var review = WriteTests.ValidReview();
            spoil(review);
            data.Add(field, review.ToJsonString(), errorField ?? field);
        }
        Case("product_id missing", r => r.Remove("product_id"), "product_id");
        Case("product_id 0", r => r["product_id"] = 0, "product_id");
        Case("product_id -3", r => r["product_id"] = -3, "product_id");
        Case("product_id as text", r => r["product_id"] = "3", "product_id");
        Case("rating missing", r => r.Remove("rating"), "rating");
        Case("rating 0", r => r["rating"] = 0, "rating");
        Case("rating 6", r => r["rating"] = 6, "rating");
        Case("rating 4.5", r => r["rating"] = 4.5, "rating");
        Case("rating as text", r => r["rating"] = "5", "rating");
        Case("summary 61 characters", r => r["summary"] = new string('s', 61), "summary");
        Case("summary a number", r => r["summary"] = 5, "summary");
        Case("body missing", r => r.Remove("body"), "body");
        Case("body empty", r => r["body"] = "", "body");
        Case("body 1001 characters", r => r["body"] = new string('b', 1001), "body");
        Case("recommend missing", r => r.Remove("recommend"), "recommend");
        Case("recommend as text", r => r["recommend"] = "true", "recommend");
        Case("name missing", r => r.Remove("name"), "name");
        Case("name 61 characters", r => r["name"] = new string('n', 61), "name");
        Case("email missing", r => r.Remove("email"), "email");
        Case("email without @", r => r["email"] = "nobody.example.com", "email");
        Case("email without a dot after @", r => r["email"] = "nobody@example", "email");
        Case("email 61 characters", r => r["email"] = new string('e', 49) + "@example.com", "email");
        Case("6 photos", r => r["photos"] = new JsonArray([.. Enumerable.Range(1, 6).Select(i => (JsonNode)$"https://x.example/{i}.jpg")]), "photos");
        Case("photo not a URL", r => r["photos"] = new JsonArray("not a url"), "photos");
        Case("photo not http", r => r["photos"] = new JsonArray("ftp://x.example/1.jpg"), "photos");
        Case("photo a number", r => r["photos"] = new JsonArray(5), "photos");
        Case("photos not an array", r => r["photos"] = "https://x.example/1.jpg", "photos");
        Case("photo URL too long", r => r["photos"] = new JsonArray("https://x.example/" + new string('p', 2040)), "photos");
        Case("unknown characteristic id", r => r["characteristics"] = new JsonObject { ["999"] = 3 }, "characteristics");
        Case("characteristic of another product", r => r["characteristics"] = new JsonObject { ["1"] = 3 }, "characteristics");
        Case("characteristic value 0", r => r["characteristics"] = new JsonObject { ["4"] = 0 }, "characteristics");
        Case("characteristic value 6", r => r["characteristics"] = new JsonObject { ["4"] = 6 }, "characteristics");
        Case("characteristic value as text", r => r["characteristics"] = new JsonObject { ["4"] = "5" }, "characteristics");
        Case("characteristic key not an id", r => r["characteristics"] = new JsonObject { ["abc"] = 5 }, "characteristics");
        Case("characteristics an array", r => r["characteristics"] = new JsonArray(5), "characteristics");
        Case("characteristic key with a trailing NUL", r => r["characteristics"] = new JsonObject { ["4\u0000"] = 5 }, "characteristics");
        foreach (var field in (string[])["summary", "body", "name", "email"])
        {
            Case($"{field} with a NUL", r => r[field] = "a\u0000b@c.d", field);
            Case($"{field} with a control character", r => r[field] = "a\u0007b@c.d", field);
        }
        Case("name with a line break", r => r["name"] = "maya\nsmith", "name");
        Case("email with a trailing line break", r => r["email"] = "maya@example.com\n", "email");
        Case("email with a space", r => r["email"] = "maya smith@example.com", "email");
        Case("photo URL with a raw space", r => r["photos"] = new JsonArray("https://images.example/a b.jpg"), "photos");
        Case("photo URL with a line break", r => r["photos"] = new JsonArray("https://images.example/a.jpg\n"), "photos");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadReviews))]
    public async Task A_bad_review_is_a_422_naming_each_bad_field(string @case, string json, string field)
    {
        var problem = await Problem(await Api.Client.PostAsync("/reviews", JsonBody(json)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Error: Review body contains invalid entries", (string?)problem["detail"]);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"{@case}: errors name {string.Join(", ", errors.Select(e => e.Key))}, not {field}");
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("summary", "\"a\\ud800b\"")]                 // a lone surrogate escape
    [InlineData("body", "\"a\\udc00\"")]
    [InlineData("name", "\"\\ud83d\"")]                      // half an emoji
    [InlineData("characteristics", "{\"\\ud800\": 5}")]     // in a key
    public async Task Text_that_is_not_unicode_is_a_422_naming_the_field(string field, string jsonValue)
    {
        var review = WriteTests.ValidReview();
        review.Remove(field);
        var json = review.ToJsonString()[..^1] + $",\"{field}\":{jsonValue}}}";
        var problem = await Problem(await Api.Client.PostAsync("/reviews", JsonBody(json)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })]             // an overlong "/"
    [InlineData(new byte[] { 0xFF })]                   // never valid in UTF-8
    [InlineData(new byte[] { 0xE2, 0x82 })]             // a sequence cut short
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // a surrogate encoded in UTF-8
    public async Task Broken_utf8_inside_a_json_string_is_a_4xx(byte[] broken)
    {
        var json = WriteTests.ValidReview().ToJsonString();
        var at = json.IndexOf("Fits", StringComparison.Ordinal);
        byte[] body = [.. Encoding.UTF8.GetBytes(json[..at]), .. broken, .. Encoding.UTF8.GetBytes(json[at..])];
        var content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
        var response = await Api.Client.PostAsync("/reviews", content);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}");
        await Problem(response, response.StatusCode);
    }

    [Fact]
    public async Task An_empty_object_names_every_required_field()
    {
        var problem = await Problem(await Api.Client.PostAsync("/reviews", JsonBody("{}")), HttpStatusCode.UnprocessableEntity);
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).Order();
        Assert.Equal(["body", "email", "name", "product_id", "rating", "recommend"], errors);
    }

    [Theory]
    [InlineData("{\"product_id\": 3,")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task A_body_that_is_not_json_is_a_400(string body)
    {
        var problem = await Problem(await Api.Client.PostAsync("/reviews", JsonBody(body)), HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("42")]
    public async Task Json_that_is_not_an_object_is_a_422(string body) =>
        await Problem(await Api.Client.PostAsync("/reviews", JsonBody(body)), HttpStatusCode.UnprocessableEntity);

    [Fact]
    public async Task A_body_that_is_not_declared_json_is_a_415()
    {
        var json = WriteTests.ValidReview().ToJsonString();
        await Problem(await Api.Client.PostAsync("/reviews", new StringContent(json, Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        var bare = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        await Problem(await Api.Client.PostAsync("/reviews", bare), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_a_413_whether_declared_or_streamed()
    {
        var review = WriteTests.ValidReview();
        review["padding"] = new string('x', 70_000);
        await Problem(await Api.Client.PostAsync("/reviews", JsonBody(review.ToJsonString())), HttpStatusCode.RequestEntityTooLarge);

        var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(review.ToJsonString())));
        streamed.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/reviews") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        await Problem(await Api.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Unknown_routes_are_404_and_wrong_methods_405_as_problems()
    {
        await Problem(await Api.Client.GetAsync("/products"), HttpStatusCode.NotFound);
        await Problem(await Api.Client.GetAsync("/reviews/5/helpful"), HttpStatusCode.MethodNotAllowed);
        await Problem(await Api.Client.DeleteAsync("/reviews?product_id=1"), HttpStatusCode.MethodNotAllowed);
        await Problem(await Api.Client.PostAsync("/reviews/meta", JsonBody("{}")), HttpStatusCode.MethodNotAllowed);
        var options = await Problem(await Api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/reviews")), HttpStatusCode.MethodNotAllowed);
        Assert.Contains("GET, POST", (string)options["detail"]!); // what the path does allow
        Assert.Contains("/products", (string)(await Problem(await Api.Client.GetAsync("/products"), HttpStatusCode.NotFound))["detail"]!);
    }
}
