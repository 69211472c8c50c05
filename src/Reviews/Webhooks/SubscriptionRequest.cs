using System.ComponentModel;

namespace Reviews.Webhooks;

/// <summary>The body of POST /webhooks/subscriptions (documents it; the handler reads the JSON by hand).</summary>
public sealed record SubscriptionRequest(
    [property: Description("Where to POST the events: https (http only where Reviews:Webhooks:AllowHttp), not an internal address.")] string Url,
    [property: Description("The event types wanted: review.created, review.reported, review.helpful, review.published, review.removed, review.responded, review.erased.")] string[] Events);
