using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Reviews.Store;

namespace Reviews.Staff;

/// <summary>
/// The staff endpoints in the OpenAPI document: the bearer security scheme (so that Scalar at /docs sends a token),
/// and the query parameters their handlers read by hand.
/// </summary>
public static class StaffDocument
{
    public const string Scheme = "bearer";

    public static Task RequiresToken(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = Scheme,
            BearerFormat = "JWT",
            Description = "A token with a staff role (`role`: moderator, privacy or admin): from the shop's identity provider, " +
                "or `reviews token --role moderator` on a stack without one.",
        };
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
        return Task.CompletedTask;
    }

    public static Task QueueParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters = [
            Query("state", "The queue: reviews reported by shoppers, pending approval, or removed.",
                new() { Type = JsonSchemaType.String, Enum = [.. ReviewStates.Hidden.Select(s => (System.Text.Json.Nodes.JsonNode)s)], Default = ReviewStates.Reported }),
            Query("page", "The 1-based page.", new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Default = 1 }),
            Query("count", "Reviews per page.", new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = $"{ModerationEndpoints.MaxCount}", Default = 20 }),
        ];
        return Task.CompletedTask;
    }

    public static Task AuditParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters = [Query("review_id", "The review.", new() { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" }, required: true)];
        return Task.CompletedTask;
    }

    public static Task EmailParameter(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters = [Query("email", "The reviewer's address, matched whatever its case.",
            new() { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 320 }, required: true)];
        return Task.CompletedTask;
    }

    static OpenApiParameter Query(string name, string description, OpenApiSchema schema, bool required = false) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Required = required, Schema = schema };
}
