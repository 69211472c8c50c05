using System.Net.Mime;
using Microsoft.AspNetCore.Http.HttpResults;
using Reviews.Api.OpenApi;
using Reviews.Contract;
using Reviews.Reading;
using Reviews.Writing;

namespace Reviews.Api;

/// <summary>
/// The five endpoints of the legacy contract (docs/contract.md, and /openapi/v1.json). Each handler parses the request,
/// calls the read or write service, and maps its outcome to the contract's answer.
/// </summary>
public static class ReviewEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapReviews(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/reviews").WithTags("Reviews");
        group.MapGet("", List)
            .WithSummary("A page of a product's reviews")
            .Produces<ReviewList>(contentType: MediaTypeNames.Application.Json).ProducesProblem(422).ProducesProblem(503)
            .AddOpenApiOperationTransformer(ContractDocument.ListParameters);
        group.MapGet("/meta", GetMeta)
            .WithSummary("A product's rating counts and characteristic averages")
            .Produces<Meta>(contentType: MediaTypeNames.Application.Json).ProducesProblem(422).ProducesProblem(503)
            .AddOpenApiOperationTransformer(ContractDocument.MetaParameters);
        group.MapPost("", Add)
            .WithSummary("Add a review")
            .Accepts<ReviewRequest>(MediaTypeNames.Application.Json)
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(503)
            .Produces<InvalidReviewProblem>(422, "application/problem+json")
            .AddOpenApiOperationTransformer(ContractDocument.NewReviewExample);
        group.MapPut("/{review_id}/helpful", MarkHelpful)
            .WithSummary("Add one to a review's helpfulness")
            .ProducesProblem(404).ProducesProblem(422).ProducesProblem(503)
            .AddOpenApiOperationTransformer(ContractDocument.ReviewIdParameter);
        group.MapPut("/{review_id}/report", Report)
            .WithSummary("Report a review: it leaves the list and the meta (idempotent)")
            .ProducesProblem(404).ProducesProblem(422).ProducesProblem(503)
            .AddOpenApiOperationTransformer(ContractDocument.ReviewIdParameter);
        return group;
    }

    /// <summary>The content type of every answer the legacy API gave.</summary>
    internal const string Json = "application/json; charset=utf-8";

    static async Task<Results<FileContentHttpResult, PooledJsonResult, ProblemHttpResult>> List(
        HttpRequest request, ReviewReader reader, ReadYourWrites consistency, CancellationToken ct)
    {
        if (!QueryParameters.TryProductId(request, out var productId))
            return Problems.Unprocessable(Problems.InvalidProductId);
        if (!QueryParameters.TryPaging(request, out var page, out var count, out var sort, out var error)
            || !QueryParameters.TryFilter(request, out var filter, out error))
            return Problems.Unprocessable(error);
        var answer = await reader.ListAsync(productId, sort, page, count, filter, consistency.RecentlyWrote(request), ct);
        return answer.Pooled is { } pooled ? new PooledJsonResult(pooled) : TypedResults.Bytes(answer.Json, Json);
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetMeta(
        HttpRequest request, ReviewReader reader, ReadYourWrites consistency, CancellationToken ct)
    {
        if (!QueryParameters.TryProductId(request, out var productId))
            return Problems.Unprocessable(Problems.InvalidProductId);
        return TypedResults.Bytes(await reader.MetaAsync(productId, consistency.RecentlyWrote(request), ct), Json);
    }

    /// <summary>The header that names a POST, so that a client may retry it without creating a second review.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    static async Task<Results<Created<CreatedReview>, ProblemHttpResult>> Add(
        HttpContext http, ReviewWriter writer, ReadYourWrites consistency, CancellationToken ct)
    {
        var request = http.Request;
        var (body, refused) = await RequestBody.ReadJsonAsync(request, MaxBodyBytes, ct);
        if (refused is not null)
            return refused;
        string? key = null;
        if (request.Headers.TryGetValue(IdempotencyKeyHeader, out var given))
        {
            if (given.Count != 1 || given[0] is not { Length: >= 1 and <= 255 } name || name.Any(c => c is < '!' or > '~'))
                return TypedResults.Problem($"{IdempotencyKeyHeader} must be one value of 1 to 255 visible ASCII characters (a UUID, say).",
                    statusCode: StatusCodes.Status400BadRequest, title: "Bad Idempotency-Key");
            key = name;
        }

        var result = await writer.AddAsync(body!, key, ct);
        switch (result.Status)
        {
            case AddStatus.Malformed:
                return TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON");
            case AddStatus.Invalid:
                return Problems.InvalidEntries(result.Errors!);
            case AddStatus.KeyUsedForAnotherBody:
                return Problems.Unprocessable($"The {IdempotencyKeyHeader} \"{key}\" was used for another body: " +
                    "send the same body to retry that review, or a new key for a new one.");
            case AddStatus.Replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                break;
            default:
                consistency.Wrote(http.Response);
                break;
        }
        return TypedResults.Created($"/reviews/{result.ReviewId}", new CreatedReview(result.ReviewId));
    }

    static Task<Results<NoContent, ProblemHttpResult>> MarkHelpful(string review_id, HttpResponse response, ReviewWriter writer, ReadYourWrites consistency) =>
        ChangeReview(review_id, writer.MarkHelpfulAsync, response, consistency);

    static Task<Results<NoContent, ProblemHttpResult>> Report(string review_id, HttpResponse response, ReviewWriter writer, ReadYourWrites consistency) =>
        ChangeReview(review_id, writer.ReportAsync, response, consistency);

    static async Task<Results<NoContent, ProblemHttpResult>> ChangeReview(string reviewIdText, Func<long, Task<bool>> change,
        HttpResponse response, ReadYourWrites consistency)
    {
        if (!QueryParameters.TryId(reviewIdText, out var reviewId))
            return Problems.Unprocessable($"review_id must be a positive integer; got \"{reviewIdText}\".");
        if (!await change(reviewId))
            return Problems.ReviewNotFound(reviewId);
        consistency.Wrote(response);
        return TypedResults.NoContent();
    }
}
