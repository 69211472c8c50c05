using System.Net.Mime;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Reviews.Api.Contract;
using Reviews.Api.OpenApi;
using Reviews.Cache;
using Reviews.Store;
using Reviews.Telemetry;

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

    /// <summary>The content type of every answer the legacy API gave.</summary>
    internal const string Json = "application/json; charset=utf-8";

    static async Task<Results<FileContentHttpResult, PooledJsonResult, ProblemHttpResult>> List(
        HttpRequest request, ReviewStore store, ResponseCache cache, ReadYourWrites consistency, ChangePositions positions,
        LargePageGate largePages, CancellationToken ct)
    {
        if (!QueryParameters.TryProductId(request, out var productId))
            return Problems.Unprocessable(Problems.InvalidProductId);
        if (!QueryParameters.TryPaging(request, out var page, out var count, out var sort, out var error))
            return Problems.Unprocessable(error);

        var key = new CacheKey(productId, sort, page, count);
        var wrote = consistency.RecentlyWrote(request);
        if (cache.TryGet(key, out var cached, out var seen, skipCached: wrote))
            return TypedResults.Bytes(cached, Json);
        // After the cache's generation is read: a change heard of later makes this answer stale in the cache anyway.
        var required = positions.Required(productId, recentWriter: wrote);
        async Task<ReviewList> Read() =>
            // The legacy API echoed the page zero-based.
            new(productId.ToString(), page - 1, count, (await store.ListAsync(productId, sort, page, count, required, ct)).ConvertAll(ReviewItem.From));

        byte[] json;
        if (count <= LargePageGate.LargePage)
            json = ReviewsJson.ToUtf8Bytes(await Read(), ReviewsJson.Web.ReviewList);
        else
        {
            // A large page: a few at a time, written into pooled memory that stays taken (with its slot) until it is
            // sent; small after all (a product with few reviews), it is copied out and kept like any other answer.
            var slot = await largePages.EnterAsync(ct);
            var buffer = new PooledBufferWriter(largePages.Buffers);
            try
            {
                await using (var writer = new Utf8JsonWriter(buffer, ReviewsJson.Writing))
                    JsonSerializer.Serialize(writer, await Read(), ReviewsJson.Web.ReviewList);
                if (buffer.Length > ResponseCache.MaxAnswerBytes)
                    return new PooledJsonResult(buffer, slot);
                json = buffer.WrittenMemory.ToArray();
            }
            catch
            {
                buffer.Dispose();
                slot.Dispose();
                throw;
            }
            buffer.Dispose();
            slot.Dispose();
        }
        cache.Set(key, json, seen);
        return TypedResults.Bytes(json, Json);
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetMeta(
        HttpRequest request, ReviewStore store, ResponseCache cache, ReadYourWrites consistency, ChangePositions positions, CancellationToken ct)
    {
        if (!QueryParameters.TryProductId(request, out var productId))
            return Problems.Unprocessable(Problems.InvalidProductId);
        var wrote = consistency.RecentlyWrote(request);
        var json = await cache.GetOrReadAsync(new CacheKey(productId), async () =>
        {
            var totals = await store.TotalsAsync(productId, positions.Required(productId, recentWriter: wrote), ct);
            return ReviewsJson.ToUtf8Bytes(Meta.From(productId, totals), ReviewsJson.Web.Meta);
        }, skipCached: wrote);
        return TypedResults.Bytes(json, Json);
    }

    /// <summary>The header that names a POST, so that a client may retry it without creating a second review.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    static async Task<Results<Created<CreatedReview>, ProblemHttpResult>> Add(
        HttpContext http, ReviewStore store, CacheInvalidation cache, ReadYourWrites consistency, ReviewsMetrics metrics, CancellationToken ct)
    {
        var request = http.Request;
        if (!request.HasJsonContentType())
            return TypedResults.Problem("The body must be JSON, sent with Content-Type: application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

        if (await RequestBody.ReadAsync(request, MaxBodyBytes, ct) is not { } bytes)
            return TypedResults.Problem($"The body must be at most {MaxBodyBytes / 1024} KiB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");

        IdempotencyKey? key = null;
        if (request.Headers.TryGetValue(IdempotencyKeyHeader, out var given))
        {
            if (given.Count != 1 || given[0] is not { Length: >= 1 and <= 255 } name || name.Any(c => c is < '!' or > '~'))
                return TypedResults.Problem($"{IdempotencyKeyHeader} must be one value of 1 to 255 visible ASCII characters (a UUID, say).",
                    statusCode: StatusCodes.Status400BadRequest, title: "Bad Idempotency-Key");
            key = new IdempotencyKey(name, SHA256.HashData(bytes));
            if (await AnswerGivenBefore(http, store, key, ct) is { } before)
                return before;
        }

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
            if (await store.AddAsync(review, key, CancellationToken.None) is not { } id)
                return await AnswerGivenBefore(http, store, key!, ct) ?? throw new InvalidOperationException("An idempotency key was taken, then not found.");
            cache.Changed(review.ProductId); // before answering: the writer's next read here sees its review,
            consistency.Wrote(http.Response); // and on any other instance
            metrics.Wrote("review");
            return TypedResults.Created($"/reviews/{id}", new CreatedReview(id));
        }
    }

    /// <summary>
    /// For a key used before: the same 201 again (marked Idempotent-Replayed) when the body is the same, a 422 when it
    /// is not; null for a new key.
    /// </summary>
    static async Task<Results<Created<CreatedReview>, ProblemHttpResult>?> AnswerGivenBefore(
        HttpContext http, ReviewStore store, IdempotencyKey key, CancellationToken ct)
    {
        if (await store.FindKeyedAsync(key.Key, ct) is not { } earlier)
            return null;
        if (!earlier.RequestHash.AsSpan().SequenceEqual(key.RequestHash))
            return Problems.Unprocessable($"The {IdempotencyKeyHeader} \"{key.Key}\" was used for another body: " +
                "send the same body to retry that review, or a new key for a new one.");
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Created($"/reviews/{earlier.ReviewId}", new CreatedReview(earlier.ReviewId));
    }

    static Task<Results<NoContent, ProblemHttpResult>> MarkHelpful(
        string review_id, HttpResponse response, ReviewStore store, CacheInvalidation cache, ReadYourWrites consistency, ReviewsMetrics metrics) =>
        ChangeReview(review_id, "helpful", store.MarkHelpfulAsync, response, cache, consistency, metrics);

    static Task<Results<NoContent, ProblemHttpResult>> Report(
        string review_id, HttpResponse response, ReviewStore store, CacheInvalidation cache, ReadYourWrites consistency, ReviewsMetrics metrics) =>
        ChangeReview(review_id, "report", store.ReportAsync, response, cache, consistency, metrics);

    static async Task<Results<NoContent, ProblemHttpResult>> ChangeReview(string reviewIdText, string kind, Func<long, CancellationToken, Task<long?>> change,
        HttpResponse response, CacheInvalidation cache, ReadYourWrites consistency, ReviewsMetrics metrics)
    {
        if (!QueryParameters.TryId(reviewIdText, out var reviewId))
            return Problems.Unprocessable($"review_id must be a positive integer; got \"{reviewIdText}\".");
        if (await change(reviewId, CancellationToken.None) is not { } productId) // not cancelled: see Add
            return Problems.ReviewNotFound(reviewId);
        cache.Changed(productId); // before answering: the writer's next read sees its change, here and elsewhere
        consistency.Wrote(response);
        metrics.Wrote(kind);
        return TypedResults.NoContent();
    }
}
