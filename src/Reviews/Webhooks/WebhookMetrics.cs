using System.Diagnostics.Metrics;
using Reviews.Telemetry;

namespace Reviews.Webhooks;

/// <summary>
/// Webhook deliveries in the service's meter (Prometheus: reviews_webhook_*): each attempt's outcome, and the age of
/// the oldest event some receiver has not had yet (the backlog alert's measure).
/// </summary>
public sealed class WebhookMetrics
{
    readonly Counter<long> attempts;
    double oldestSeconds;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ReviewsMetrics.MeterName);
        attempts = meter.CreateCounter<long>("reviews.webhook.deliveries", description: "Delivery attempts, by outcome: delivered (2xx), failed (tried again later), dead (given up).");
        meter.CreateObservableGauge("reviews.webhook.oldest_undelivered", () => Volatile.Read(ref oldestSeconds), unit: "s",
            description: "How long the oldest event not yet delivered to every receiver has waited (0: none waits).");
    }

    public void Attempted(string outcome) => attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void OldestUndelivered(TimeSpan age) => Volatile.Write(ref oldestSeconds, age.TotalSeconds);
}
