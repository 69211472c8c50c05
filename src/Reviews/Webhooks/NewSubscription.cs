namespace Reviews.Webhooks;

/// <summary>A subscription just made (POST /webhooks/subscriptions): its secret is shown this once.</summary>
public sealed record NewSubscription(long Id, string Url, string[] Events, string Secret);
