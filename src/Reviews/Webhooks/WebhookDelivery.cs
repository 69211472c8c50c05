using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Reviews.Contract;
using Reviews.Store;

namespace Reviews.Webhooks;

/// <summary>
/// Delivers webhook events, off the request path, at least once: it turns new events into one delivery per
/// subscription that wants them, takes the due deliveries (no other instance takes them while this one holds them),
/// POSTs each, signed the Standard Webhooks way, and records the outcome: delivered on a 2xx, else tried again on the
/// <see cref="RetrySchedule"/>, then dead. A receiver sees a delivery twice only after a fault (this instance died
/// between its answer and the record), and then with the same webhook-id.
/// </summary>
public sealed class WebhookDelivery(WebhookStore store, ReviewQueries reviews, IHttpClientFactory clients, WebhookMetrics metrics,
    IOptions<WebhookOptions> settings, ILogger<WebhookDelivery> log) : BackgroundService
{
    public const string ClientName = "webhooks";
    const int Batch = 32;
    readonly WebhookOptions options = settings.Value;
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = ReviewsJson.Encoder,
    };

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!options.Enabled)
            return;
        var measured = DateTime.MinValue;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                while (await store.FanOutAsync(500, stopping) > 0)
                {
                }
                // Held for twice the answer time and 5 s more: long enough to send and record; a killed instance's are then due again.
                var due = await store.TakeDueAsync(Batch, TimeSpan.FromSeconds(2 * options.TimeoutSeconds + 5), stopping);
                // Each at once (receivers are slow, not this): the batch is bounded.
                await Task.WhenAll(due.Select(SendAsync));
                if (DateTime.UtcNow - measured > TimeSpan.FromSeconds(5))
                {
                    metrics.OldestUndelivered(await store.OldestUndeliveredAsync(stopping));
                    measured = DateTime.UtcNow;
                }
                if (due.Count < Batch)
                    await Task.Delay(options.PollMilliseconds, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // The database away (a restart, a failover): nothing is lost, the events wait in it, and a delivery
                // taken but not recorded is taken again when its lease ends.
                log.LogWarning("Webhook delivery paused for 2 s: {Message}", e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    async Task SendAsync(DueDelivery delivery)
    {
        int? status = null;
        string error;
        try
        {
            var body = await BodyAsync(delivery);
            var id = $"msg_{delivery.Id}";
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(delivery.Secret, id, timestamp, body));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
            using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await store.DeliveredAsync(delivery.Id, status.Value);
                metrics.Attempted("delivered");
                return;
            }
            error = $"answered {status}";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            error = e is OperationCanceledException ? $"no answer within {options.TimeoutSeconds} s" : e.Message;
        }
        var retry = RetrySchedule.After(delivery.Attempt, options.BackoffScale);
        await store.FailedAsync(delivery.Id, status, error, retry);
        metrics.Attempted(retry is null ? "dead" : "failed");
    }

    async Task<byte[]> BodyAsync(DueDelivery delivery)
    {
        var review = delivery.Type == WebhookEvents.Erased ? null : await reviews.FindAsync(delivery.ReviewId, CancellationToken.None);
        var payload = new WebhookPayload(delivery.Type, delivery.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            new WebhookData(delivery.ProductId, delivery.ReviewId, review is null ? null : ReviewItem.From(review)));
        return JsonSerializer.SerializeToUtf8Bytes(payload, Json);
    }
}
