using System.Text;

namespace Reviews.Tests.Api;

/// <summary>
/// Thousands of generated bad requests (queries, bodies, ids, headers, broken bytes) from a fixed seed: none may get
/// a 5xx, each gets a problem document, and none may change anything. A failure prints the seed and the request;
/// REVIEWS_FUZZ_SEED runs another seed.
/// </summary>
public sealed class RandomBadInputTests(SharedSeededApi shared) : SharedSeededApiTest(shared)
{
    const int Requests = 3000;

    static readonly string[] Values =
    [
        "", "0", "-1", "1", "2", "3", "999999999999999999999", "9223372036854775808", "1e3", "0x10", " 1", "1 ", "1%00", "%00",
        "%ff", "%c0%af", "%ed%a0%80", "abc", "1.5", "+1", "%D9%A3", "null", "[]", "%0A", "new%20est", "helpful", "newest",
        "relevant", "10000", "10001", "2147483648", new string('9', 300),
    ];

    // For PUTs: none of them an id of a review that exists.
    static readonly string[] BadIds = [.. Values.Where(v => !(long.TryParse(v, out var n) && n is > 0 and < 1_000_000))];

    static readonly string[] Paths = ["/reviews", "/reviews/", "/reviews/meta", "/reviews/meta/"];
    static readonly string[] Keys = ["product_id", "page", "count", "sort", "product_id", "x"];

    // JSON values that break a field's rule whatever the field (a rating of 9 is never valid).
    static readonly string[] BadJson =
    [
        "null", "true", "-1", "0", "9", "1.5", "1e400", "\"\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0007\"",
        "[]", "{}", "[1,2]", "{\"1\":9}", "\"" + new string('x', 1200) + "\"", "\"ftp://x/y\"", "\"a b@c.d\"", "99999999999999999999",
    ];

    static readonly string[] Fields = ["product_id", "rating", "summary", "body", "recommend", "name", "email", "photos", "characteristics"];

    static HttpRequestMessage Next(Random random)
    {
        switch (random.Next(4))
        {
            case 0: // a query
                {
                    var query = string.Join('&', Enumerable.Range(0, random.Next(0, 5)).Select(_ => $"{Keys[random.Next(Keys.Length)]}={Values[random.Next(Values.Length)]}"));
                    return new HttpRequestMessage(HttpMethod.Get, $"{Paths[random.Next(Paths.Length)]}?{query}");
                }
            case 1: // a PUT to an id that is not a review
                {
                    var id = random.Next(3) == 0 ? BadIds[random.Next(BadIds.Length)] : $"{random.NextInt64(1_000_000, long.MaxValue)}";
                    return new HttpRequestMessage(HttpMethod.Put, $"/reviews/{id}/{(random.Next(2) == 0 ? "helpful" : "report")}");
                }
            default: // a POST whose body breaks at least one rule
                {
                    // Written as text: some of the bad values (half a surrogate pair) no JSON writer would write.
                    var review = WriteTests.ValidReview();
                    var broken = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Fields[random.Next(Fields.Length)]).Append("rating").Distinct().ToList();
                    broken.ForEach(field => review.Remove(field));
                    var text = review.ToJsonString()[..^1] + string.Concat(broken.Select(field =>
                        $",\"{field}\":{(field == "rating" ? (random.Next(2) == 0 ? "0" : "6") : BadJson[random.Next(BadJson.Length)])}")) + "}";
                    var bytes = Encoding.UTF8.GetBytes(text); // the rating is never valid, so nothing may be created
                    if (random.Next(5) == 0)
                        bytes = bytes[..random.Next(bytes.Length)]; // cut short
                    if (random.Next(5) == 0)
                    {
                        var at = random.Next(bytes.Length);
                        bytes = [.. bytes[..at], .. (byte[])[(byte)random.Next(0x80, 0x100)], .. bytes[at..]]; // a stray byte
                    }
                    var request = new HttpRequestMessage(HttpMethod.Post, "/reviews") { Content = new ByteArrayContent(bytes) };
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(8) == 0 ? "text/plain" : "application/json");
                    if (random.Next(4) == 0)
                        request.Headers.TryAddWithoutValidation("Idempotency-Key", $"fuzz-{random.Next(50)}");
                    return request;
                }
        }
    }

    [Fact]
    public async Task Thousands_of_generated_bad_requests_get_4xx_problems_and_change_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("REVIEWS_FUZZ_SEED"), out var given) ? given : 20261127;
        var random = new Random(seed);
        var before = await PostgresFixture.SnapshotAsync(Api.ConnectionString);
        for (var i = 0; i < Requests; i++)
        {
            using var request = Next(random);
            var shown = $"seed {seed}, request {i}: {request.Method} {request.RequestUri}" +
                (request.Content is null ? "" : $" {Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync())}");
            using var response = await Api.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{status} for {shown}");
            if (request.Method != HttpMethod.Get)
                Assert.True(status >= 400, $"{status} for {shown}: a bad write was accepted");
            // Kestrel itself refuses a NUL in the path, before any application code, with a bare 400.
            var refusedByServer = status == 400 && response.Content.Headers.ContentLength == 0 && request.RequestUri!.OriginalString.Split('?')[0].Contains("%00");
            if (status >= 400 && !refusedByServer)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"no problem document ({status}, {response.Content.Headers.ContentType}, {response.Content.Headers.ContentLength} bytes) for {shown}");
                Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]), $"no detail for {shown}");
            }
        }
        Assert.Equal(before, await PostgresFixture.SnapshotAsync(Api.ConnectionString));
    }
}
