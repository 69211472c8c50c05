namespace Reviews.Webhooks;

/// <summary>
/// A webhook's body, the Standard Webhooks shape: the event's type, when it happened, and its data: the product and
/// review ids, and the review as GET /reviews shows it now (none for an erasure, or a review erased since).
/// </summary>
public sealed record WebhookPayload(string Type, string Timestamp, WebhookData Data);
