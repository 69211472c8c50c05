namespace Reviews.Store;

/// <summary>A receiver of webhook events: where, which types, since when, set up by whom (its secret is not shown again).</summary>
public sealed record WebhookSubscription(long Id, string Url, string[] Events, DateTime CreatedAt, string CreatedBy);
