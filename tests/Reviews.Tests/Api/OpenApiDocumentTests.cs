using System.Text;
using Json.Schema;

namespace Reviews.Tests.Api;

/// <summary>
/// /openapi/v1.json describes the contract: real answers of every endpoint, errors included, are checked against
/// the schemas it gives for their path, method and status, so the document cannot drift from the service.
/// </summary>
public sealed class OpenApiDocumentTests(SharedSeededApi shared) : SharedSeededApiTest(shared), IAsyncLifetime
{
    JsonObject document = null!;

    public async Task InitializeAsync()
    {
        var response = await Api.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    Task Conforms(HttpResponseMessage response, string path, string method) => new OpenApiConformance(document).Conforms(response, path, method);

    JsonSchema SchemaFor(string path, string method, int status, string mediaType) => new OpenApiConformance(document).SchemaFor(path, method, status, mediaType);

    static void AssertValid(JsonSchema schema, JsonElement instance, string what) => OpenApiConformance.AssertValid(schema, instance, what);

    [Fact]
    public void The_document_is_openapi_3_1_and_names_every_endpoint()
    {
        Assert.StartsWith("3.1", (string)document["openapi"]!);
        Assert.Equal(["get", "post"], document["paths"]!["/reviews"]!.AsObject().Select(p => p.Key).Order());
        Assert.NotNull(document["paths"]!["/reviews/meta"]!["get"]);
        Assert.NotNull(document["paths"]!["/reviews/{review_id}/helpful"]!["put"]);
        Assert.NotNull(document["paths"]!["/reviews/{review_id}/report"]!["put"]);
        Assert.Null(document["paths"]!["/health"]);
        var parameters = document["paths"]!["/reviews"]!["get"]!["parameters"]!.AsArray().Select(p => (string)p!["name"]!);
        Assert.Equal(["product_id", "page", "count", "sort", "rating", "q", "with_photos"], parameters);
    }

    [Theory]
    [InlineData("/reviews?product_id=1&count=10")]
    [InlineData("/reviews?product_id=1&sort=newest&page=2&count=2")]
    [InlineData("/reviews?product_id=999")]
    [InlineData("/reviews?product_id=abc")]
    [InlineData("/reviews?product_id=1&count=0")]
    [InlineData("/reviews?product_id=1&rating=4,5&q=fits&with_photos=true")]
    [InlineData("/reviews?product_id=1&rating=6")]
    public async Task List_answers_match_the_document(string url) => await Conforms(await Api.Client.GetAsync(url), "/reviews", "get");

    [Theory]
    [InlineData("/reviews/meta?product_id=1")]
    [InlineData("/reviews/meta?product_id=3")]
    [InlineData("/reviews/meta?product_id=7")]
    [InlineData("/reviews/meta?product_id=-1")]
    public async Task Meta_answers_match_the_document(string url) => await Conforms(await Api.Client.GetAsync(url), "/reviews/meta", "get");

    [Fact]
    public async Task Post_answers_match_the_document()
    {
        await Conforms(await Api.Client.PostAsJsonAsync("/reviews", WriteTests.ValidReview()), "/reviews", "post");
        await Conforms(await Api.Client.PostAsJsonAsync("/reviews", new { rating = 9 }), "/reviews", "post");
        await Conforms(await Api.Client.PostAsync("/reviews", new StringContent("{", Encoding.UTF8, "application/json")), "/reviews", "post");
        await Conforms(await Api.Client.PostAsync("/reviews", new StringContent("x", Encoding.UTF8, "text/plain")), "/reviews", "post");
        await Conforms(await Api.Client.PostAsync("/reviews", new StringContent(new string(' ', 70_000), Encoding.UTF8, "application/json")), "/reviews", "post");
    }

    [Theory]
    [InlineData("helpful")]
    [InlineData("report")]
    public async Task Put_answers_match_the_document(string action)
    {
        var path = $"/reviews/{{review_id}}/{action}";
        await Conforms(await Api.Client.PutAsync($"/reviews/1/{action}", null), path, "put");
        await Conforms(await Api.Client.PutAsync($"/reviews/424242/{action}", null), path, "put");
        await Conforms(await Api.Client.PutAsync($"/reviews/x/{action}", null), path, "put");
    }

    [Fact]
    public async Task An_unreachable_database_answers_as_the_document_says()
    {
        await using var down = await ApiServer.StartAsync("Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2");
        await Conforms(await down.Client.GetAsync("/reviews/meta?product_id=1"), "/reviews/meta", "get");
        await Conforms(await down.Client.PutAsync("/reviews/1/helpful", null), "/reviews/{review_id}/helpful", "put");
    }

    [Theory]
    [InlineData("/reviews", "get", "200")]
    [InlineData("/reviews/meta", "get", "200")]
    public void The_examples_are_real_legacy_answers_that_match_the_schemas(string path, string method, string status)
    {
        var example = document["paths"]![path]![method]!["responses"]![status]!["content"]!["application/json"]!["example"]!;
        AssertValid(SchemaFor(path, method, int.Parse(status), "application/json"), JsonDocument.Parse(example.ToJsonString()).RootElement, $"the {path} example");
    }
}
