using System.Net.Mime;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Reviews.Api;
using Reviews.Api.OpenApi;
using Reviews.Contract;
using Reviews.Store;
using Reviews.Validation;
using Reviews.Writing;

namespace Reviews.Staff;

/// <summary>
/// The moderators' endpoints (role moderator or admin): the queues of hidden reviews, publish and remove, the shop's
/// response, and the audit trail. A review enters or leaves the public list and meta exactly as a POST or a report does.
/// </summary>
public static class ModerationEndpoints
{
    public const int MaxCount = 100;

    public static RouteGroupBuilder MapModeration(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/moderation").WithTags("Moderation")
            .RequireAuthorization(StaffRoles.ModerationPolicy)
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(422).ProducesProblem(503)
            .AddOpenApiOperationTransformer(StaffDocument.RequiresToken);
        group.MapGet("/reviews", Queue)
            .WithSummary("A moderation queue: the reviews in one hidden state, the longest waiting first")
            .AddOpenApiOperationTransformer(StaffDocument.QueueParameters);
        group.MapPost("/reviews/{review_id}/publish", Publish)
            .WithSummary("Publish a pending review, or restore a reported or removed one").ProducesProblem(404)
            .AddOpenApiOperationTransformer(ContractDocument.ReviewIdParameter);
        group.MapPost("/reviews/{review_id}/remove", Remove)
            .WithSummary("Take a review down (it leaves the list and the meta)").ProducesProblem(404)
            .AddOpenApiOperationTransformer(ContractDocument.ReviewIdParameter);
        group.MapPut("/reviews/{review_id}/response", Respond)
            .WithSummary("Set or clear the shop's response to a review")
            .Accepts<ResponseRequest>(MediaTypeNames.Application.Json)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415)
            .AddOpenApiOperationTransformer(ContractDocument.ReviewIdParameter);
        group.MapGet("/audit", Audit)
            .WithSummary("The audit trail of one review's staff actions, oldest first")
            .AddOpenApiOperationTransformer(StaffDocument.AuditParameters);
        return group;
    }

    static async Task<Results<Ok<ModerationQueue>, ProblemHttpResult>> Queue(HttpRequest request, ModerationStore store, CancellationToken ct)
    {
        var state = request.Query["state"] is { Count: 1 } given ? given[0] ?? "" : ReviewStates.Reported;
        if (!ReviewStates.Hidden.Contains(state))
            return Problems.Unprocessable($"state must be one of: {string.Join(", ", ReviewStates.Hidden)}.");
        int page = 1, count = 20;
        if (!QueryParameters.TryInt(request.Query["page"], 1, int.MaxValue, ref page))
            return Problems.Unprocessable("page must be a positive integer (1, 2, …).");
        if (!QueryParameters.TryInt(request.Query["count"], 1, MaxCount, ref count))
            return Problems.Unprocessable($"count must be an integer from 1 to {MaxCount}.");
        return TypedResults.Ok(new ModerationQueue(state, page, count, await store.QueueAsync(state, page, count, ct)));
    }

    static Task<Results<NoContent, ProblemHttpResult>> Publish(string review_id, ClaimsPrincipal user, StaffWriter writer) =>
        Act(review_id, id => writer.PublishAsync(id, StaffAuthentication.Actor(user)));

    static Task<Results<NoContent, ProblemHttpResult>> Remove(string review_id, ClaimsPrincipal user, StaffWriter writer) =>
        Act(review_id, id => writer.RemoveAsync(id, StaffAuthentication.Actor(user)));

    static async Task<Results<NoContent, ProblemHttpResult>> Act(string reviewIdText, Func<long, Task<StateChange?>> action)
    {
        if (!QueryParameters.TryId(reviewIdText, out var reviewId))
            return Problems.Unprocessable($"review_id must be a positive integer; got \"{reviewIdText}\".");
        return await action(reviewId) is null ? Problems.ReviewNotFound(reviewId) : TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Respond(string review_id, HttpRequest request, StaffWriter writer,
        CancellationToken ct)
    {
        var (body, refused) = await RequestBody.ReadJsonAsync(request, ReviewEndpoints.MaxBodyBytes, ct);
        if (refused is not null)
            return refused;
        string? response;
        try
        {
            using var document = JsonDocument.Parse(body!);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("response", out var value)
                || value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return Problems.Unprocessable("The body must be {\"response\": \"…\"} (a string), or {\"response\": null} to clear it.");
            response = value.GetString();
        }
        catch (JsonException e)
        {
            return TypedResults.Problem($"The body is not valid JSON: {e.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON");
        }
        var problem = response is null ? null : TextRules.Problem(response, multiline: true);
        if (response is not null && (response.Length is < 1 or > ReviewLimits.MaxBody || problem is not null))
            return Problems.Unprocessable($"response must be 1 to {ReviewLimits.MaxBody} characters of text" +
                (problem is null ? "." : $"; it {problem}."));
        return await Act(review_id, id => writer.RespondAsync(id, response, StaffAuthentication.Actor(request.HttpContext.User)));
    }

    static async Task<Results<Ok<List<AuditRecord>>, ProblemHttpResult>> Audit(HttpRequest request, ModerationStore store, CancellationToken ct)
    {
        if (!QueryParameters.TryId(request.Query["review_id"], out var reviewId))
            return Problems.Unprocessable("review_id must be a positive integer.");
        return TypedResults.Ok(await store.AuditAsync(reviewId, ct));
    }
}
