using System.Net.Mime;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Reviews.Contract;

namespace Reviews.Api.OpenApi;

/// <summary>
/// What the generated OpenAPI document (/openapi/v1.json) cannot learn from the endpoints' types: the query
/// parameters the handlers read by hand (to give the contract's 422s), the string patterns of the legacy JSON
/// (ids and counts as strings, 16-decimal averages, millisecond dates) and examples from real legacy answers.
/// A test checks real answers of every endpoint against this document's schemas.
/// </summary>
public static class ContractDocument
{
    const string Counts = "^(0|[1-9][0-9]*)$";
    const string PositiveId = "^[1-9][0-9]*$";
    const string SixteenDecimals = @"^[0-9]\.[0-9]{16}$";
    const string LegacyDate = @"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Atelier Ratings & Reviews",
                Version = "v1",
                Description = "The legacy Reviews API, served unchanged. Errors are RFC 9457 problem documents; " +
                    "every path also answers with a trailing slash.",
            };
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(ReviewList))
            {
                Property(schema, "product").Pattern = PositiveId;
                Property(schema, "page").Minimum = "0";
                Property(schema, "count").Minimum = "1";
            }
            else if (type == typeof(ReviewItem))
            {
                Property(schema, "date").Type = JsonSchemaType.String;
                Property(schema, "date").Pattern = LegacyDate;
            }
            else if (type == typeof(ReviewRequest))
                Property(schema, "product_id").Minimum = "1";
            else if (type == typeof(Meta))
            {
                Property(schema, "product_id").Pattern = PositiveId;
                Counted(Property(schema, "ratings"), "^[1-5]$");
                Counted(Property(schema, "recommended"), "^(true|false)$");
            }
            else if (type == typeof(CharacteristicSummary))
                Property(schema, "value").Pattern = SixteenDecimals;
            return Task.CompletedTask;
        });
    }

    static OpenApiSchema Property(OpenApiSchema schema, string name) => (OpenApiSchema)schema.Properties![name];

    static void Counted(OpenApiSchema map, string keys)
    {
        map.PropertyNames = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = keys };
        map.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = Counts };
    }

    public static Task ListParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters = [
            ProductId(),
            Query("page", "The 1-based page to return.", new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Default = 1 }),
            Query("count", "Reviews per page.", new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = $"{QueryParameters.MaxCount}", Default = 5 }),
            Query("sort", "newest: by date; helpful: by helpfulness; relevant: by helpfulness, then date. Ties by review id, descending.",
                new() { Type = JsonSchemaType.String, Enum = ["newest", "helpful", "relevant"], Default = "relevant" }),
            Query("rating", "Only these stars, comma-separated (4,5). Not in the legacy API.",
                new() { Type = JsonSchemaType.String, Pattern = "^[1-5](,[1-5])*$" }),
            Query("q", "Only reviews whose summary, body or response match these words (English stemming; \"a phrase\", -excluded, or). Not in the legacy API.",
                new() { Type = JsonSchemaType.String, MinLength = 1, MaxLength = QueryParameters.MaxSearchLength }),
            Query("with_photos", "Only reviews with photos. Not in the legacy API.", new() { Type = JsonSchemaType.Boolean, Default = false }),
        ];
        Example(operation, "200", "list.json");
        return Task.CompletedTask;
    }

    public static Task MetaParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters = [ProductId()];
        Example(operation, "200", "meta.json");
        return Task.CompletedTask;
    }

    public static Task NewReviewExample(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.RequestBody!.Content![MediaTypeNames.Application.Json].Example = Read("new-review.json");
        operation.Parameters = [new OpenApiParameter
        {
            Name = ReviewEndpoints.IdempotencyKeyHeader,
            In = ParameterLocation.Header,
            Description = "Optional: a name for this POST (1 to 255 visible ASCII characters, a UUID say). Sent again with the same body, " +
                "from any instance within 24 hours, it answers the first review's 201 again (header Idempotent-Replayed: true) " +
                "instead of creating a second; with another body, 422.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
        }];
        return Task.CompletedTask;
    }

    /// <summary>The PUTs' review id: bound as text (so that "abc" is the contract's 422, not a 404), documented as what it must be.</summary>
    public static Task ReviewIdParameter(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var parameter = (OpenApiParameter)operation.Parameters!.Single(p => p.Name == "review_id");
        parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" };
        return Task.CompletedTask;
    }

    static OpenApiParameter ProductId() =>
        Query("product_id", "The product (a positive integer).", new() { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" }, required: true);

    static OpenApiParameter Query(string name, string description, OpenApiSchema schema, bool required = false) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Required = required, Schema = schema };

    static void Example(OpenApiOperation operation, string status, string file) =>
        operation.Responses![status].Content![MediaTypeNames.Application.Json].Example = Read(file);

    static JsonNode Read(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"openapi-examples/{file}")!;
        return JsonNode.Parse(stream)!;
    }
}
