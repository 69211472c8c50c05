using System.Net.Mime;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Reviews.Api;
using Reviews.Staff;
using Reviews.Store;

namespace Reviews.Webhooks;

/// <summary>
/// Webhook subscriptions and the dead letters (role admin): subscribe (the secret shown once), list, unsubscribe; the
/// deliveries given up, and their replay.
/// </summary>
public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/webhooks").WithTags("Webhooks")
            .RequireAuthorization(StaffRoles.AdminPolicy)
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(422).ProducesProblem(503)
            .AddOpenApiOperationTransformer(StaffDocument.RequiresToken);
        group.MapPost("/subscriptions", Subscribe).WithSummary("Subscribe a receiver to event types (its signing secret is in this answer only)")
            .Accepts<SubscriptionRequest>(MediaTypeNames.Application.Json).ProducesProblem(400).ProducesProblem(413).ProducesProblem(415);
        group.MapGet("/subscriptions", List).WithSummary("The subscriptions (without their secrets)");
        group.MapDelete("/subscriptions/{id}", Unsubscribe).WithSummary("Remove a subscription and its deliveries not yet made").ProducesProblem(404);
        group.MapGet("/deliveries", Dead).WithSummary("The deliveries given up (dead), newest first");
        group.MapPost("/deliveries/{id}/replay", Replay).WithSummary("Try a dead delivery again from its first attempt").ProducesProblem(404);
        return group;
    }

    static async Task<Results<Created<NewSubscription>, ProblemHttpResult>> Subscribe(HttpRequest request, WebhookStore store,
        IOptions<WebhookOptions> options, CancellationToken ct)
    {
        var (body, refused) = await RequestBody.ReadJsonAsync(request, ReviewEndpoints.MaxBodyBytes, ct);
        if (refused is not null)
            return refused;
        string url;
        string[] events;
        try
        {
            using var document = JsonDocument.Parse(body!);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("url", out var u) || u.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("events", out var e) || e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0
                || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
                return Problems.Unprocessable("The body must be {\"url\": \"https://…\", \"events\": [\"review.created\", …]}.");
            url = u.GetString()!;
            events = [.. e.EnumerateArray().Select(x => x.GetString()!).Distinct()];
        }
        catch (JsonException e)
        {
            return TypedResults.Problem($"The body is not valid JSON: {e.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON");
        }
        if (events.FirstOrDefault(e => !WebhookEvents.All.Contains(e)) is { } unknown)
            return Problems.Unprocessable($"Unknown event type \"{unknown}\"; the types are: {string.Join(", ", WebhookEvents.All)}.");
        if (OutboundAddresses.Problem(url, options.Value) is { } problem)
            return Problems.Unprocessable(problem);
        var secret = WebhookSignature.NewSecret();
        var id = await store.SubscribeAsync(url, events, secret, StaffAuthentication.Actor(request.HttpContext.User), ct);
        return TypedResults.Created($"/webhooks/subscriptions/{id}", new NewSubscription(id, url, events, secret));
    }

    static async Task<Ok<List<WebhookSubscription>>> List(WebhookStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.SubscriptionsAsync(ct));

    static async Task<Results<NoContent, ProblemHttpResult>> Unsubscribe(string id, WebhookStore store, CancellationToken ct) =>
        !QueryParameters.TryId(id, out var subscription) ? Problems.Unprocessable("id must be a positive integer.")
        : await store.UnsubscribeAsync(subscription, ct) ? TypedResults.NoContent()
        : TypedResults.Problem($"No subscription {subscription}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    static async Task<Ok<List<DeliveryRecord>>> Dead(WebhookStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.DeliveriesAsync("dead", 100, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> Replay(string id, WebhookStore store, CancellationToken ct) =>
        !QueryParameters.TryId(id, out var delivery) ? Problems.Unprocessable("id must be a positive integer.")
        : await store.ReplayAsync(delivery, ct) ? TypedResults.NoContent()
        : TypedResults.Problem($"No dead delivery {delivery}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
