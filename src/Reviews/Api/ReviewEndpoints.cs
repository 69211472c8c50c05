using System.Net.Mime;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Reviews.Api.Contract;
using Reviews.Api.OpenApi;
using Reviews.Cache;
using Reviews.Store;

namespace Reviews.Api;

/// <summary>The five endpoints of the legacy contract (docs/contract.md, and /openapi/v1.json).</summary>
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

    const string Json = "application/json; charset=utf-8";

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> List(HttpRequest request, ReviewStore store, ResponseCache cache, CancellationToken ct)
    {
        if (!QueryParameters.TryProductId(request, out var productId))
            return Problems.Unprocessable(Problems.InvalidProductId);
        if (!QueryParameters.TryPaging(request, out var page, out var count, out var sort, out var error))
            return Problems.Unprocessable(error);

        var json = await cache.GetOrReadAsync(new CacheKey(productId, sort, page, count), async () =>
        {
            var reviews = await store.ListAsync(productId, sort, page, count, ct);
            // The legacy API echoed the page zero-based.
            var list = new ReviewList(productId.ToString(), page - 1, count, reviews.ConvertAll(ReviewItem.From));
            return JsonSerializer.SerializeToUtf8Bytes(list, ReviewsJson.Web.ReviewList);
        });
        return TypedResults.Bytes(json, Json);
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetMeta(HttpRequest request, ReviewStore store, ResponseCache cache, CancellationToken ct)
    {
        if (!QueryParameters.TryProductId(request, out var productId))
            return Problems.Unprocessable(Problems.InvalidProductId);
        var json = await cache.GetOrReadAsync(new CacheKey(productId), async () =>
            JsonSerializer.SerializeToUtf8Bytes(Meta.From(productId, await store.TotalsAsync(productId, ct)), ReviewsJson.Web.Meta));
        return TypedResults.Bytes(json, Json);
    }

    static async Task<Results<Created<CreatedReview>, ProblemHttpResult>> Add(HttpRequest request, ReviewStore store, CacheInvalidation cache, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return TypedResults.Problem("The body must be JSON, sent with Content-Type: application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

        if (await RequestBody.ReadAsync(request, MaxBodyBytes, ct) is not { } bytes)
            return TypedResults.Problem($"The body must be at most {MaxBodyBytes / 1024} KiB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem($"The body is not valid JSON: {e.Message}",
                statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON");
        }

        using (document)
        {
            var errors = new Dictionary<string, string>();
            if (NewReviewParser.Parse(document.RootElement, errors) is not { } review)
                return Problems.InvalidEntries(errors);

            if (review.CharacteristicIds.Length > 0)
            {
                var known = await store.CharacteristicIdsAsync(review.ProductId, ct);
                var unknown = review.CharacteristicIds.Where(id => !known.Contains(id)).ToList();
                if (unknown.Count > 0)
                {
                    errors["characteristics"] = $"Not characteristics of product {review.ProductId}: {string.Join(", ", unknown)}.";
                    return Problems.InvalidEntries(errors);
                }
            }

            // Not cancelled when the client goes away: a write received whole is carried out and its change told to
            // every instance (statement_timeout bounds it). Cut short, it might commit yet leave other caches stale.
            var id = await store.AddAsync(review, CancellationToken.None);
            cache.Changed(review.ProductId); // before answering: the writer's next read sees its review
            return TypedResults.Created($"/reviews/{id}", new CreatedReview(id));
        }
    }

    static Task<Results<NoContent, ProblemHttpResult>> MarkHelpful(string review_id, ReviewStore store, CacheInvalidation cache) =>
        ChangeReview(review_id, store.MarkHelpfulAsync, cache);

    static Task<Results<NoContent, ProblemHttpResult>> Report(string review_id, ReviewStore store, CacheInvalidation cache) =>
        ChangeReview(review_id, store.ReportAsync, cache);

    static async Task<Results<NoContent, ProblemHttpResult>> ChangeReview(
        string reviewIdText, Func<long, CancellationToken, Task<long?>> change, CacheInvalidation cache)
    {
        if (!QueryParameters.TryId(reviewIdText, out var reviewId))
            return Problems.Unprocessable($"review_id must be a positive integer; got \"{reviewIdText}\".");
        if (await change(reviewId, CancellationToken.None) is not { } productId) // not cancelled: see Add
            return Problems.ReviewNotFound(reviewId);
        cache.Changed(productId); // before answering: the writer's next read sees its change
        return TypedResults.NoContent();
    }
}
