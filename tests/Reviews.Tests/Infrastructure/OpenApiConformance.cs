using System.Text;
using Json.Schema;

namespace Reviews.Tests.Infrastructure;

/// <summary>Checks real answers against the schemas the service's OpenAPI document gives for their path, method and status.</summary>
public sealed class OpenApiConformance(JsonObject document)
{
    public static async Task<OpenApiConformance> LoadAsync(HttpClient client)
    {
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new OpenApiConformance(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public JsonObject Document => document;

    /// <summary>The operation's schema for a status and media type, as a JSON Schema with the document's components.</summary>
    public JsonSchema SchemaFor(string path, string method, int status, string mediaType)
    {
        var operation = document["paths"]?[path]?[method]
            ?? throw new Xunit.Sdk.XunitException($"The document has no {method.ToUpperInvariant()} {path}.");
        var response = operation["responses"]?[status.ToString()]
            ?? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path} does not document status {status}.");
        var schema = response["content"]?[mediaType]?["schema"]?.DeepClone().AsObject()
            ?? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path} {status} has no {mediaType} schema.");
        schema["$defs"] = document["components"]?["schemas"]?.DeepClone();
        var text = schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/");
        return JsonSchema.FromText(text, baseUri: new Uri($"https://schemas.reviews.test/{Guid.NewGuid():N}"));
    }

    public async Task Conforms(HttpResponseMessage response, string path, string method)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status == 204)
        {
            Assert.NotNull(document["paths"]![path]![method]!["responses"]!["204"]);
            Assert.Equal("", body);
            return;
        }
        var mediaType = response.Content.Headers.ContentType!.MediaType!;
        AssertValid(SchemaFor(path, method, status, mediaType), JsonDocument.Parse(body).RootElement, $"{method.ToUpperInvariant()} {path} {status}: {body}");
    }

    public static void AssertValid(JsonSchema schema, JsonElement instance, string what)
    {
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = new StringBuilder();
            foreach (var detail in result.Details?.Where(d => d.Errors is not null) ?? [])
                foreach (var (keyword, message) in detail.Errors!)
                    errors.Append($"\n  {detail.InstanceLocation} {keyword}: {message}");
            Assert.Fail($"{what}\ndoes not match the document's schema:{errors}");
        }
    }

}
