using System.Text.Json.Serialization;
using Reviews.Contract;

namespace Reviews.Webhooks;

/// <summary>What a webhook event is about.</summary>
public sealed record WebhookData(long ProductId, long ReviewId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReviewItem? Review);
