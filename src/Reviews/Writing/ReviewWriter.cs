using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Reviews.Changes;
using Reviews.Store;
using Reviews.Telemetry;

namespace Reviews.Writing;

/// <summary>
/// Every write, with what follows it: a POST's idempotency key and body checks, the write itself, then the change
/// announced (<see cref="ChangeFeed.Changed"/>: this instance's cache and positions at once, the other instances by
/// notice) and counted. A write received whole is carried out even if its client goes away: it is not cancelled
/// (statement_timeout bounds it), since one cut short might commit yet leave other caches stale.
/// </summary>
public sealed class ReviewWriter(ReviewWrites writes, ChangeFeed changes, ReviewsMetrics metrics, IOptions<ModerationOptions> moderation)
{
    /// <summary>
    /// Adds the review in <paramref name="body"/> (JSON). With an idempotency key, a body seen before under it gets
    /// the same review back, another body a refusal, and either way nothing new is written.
    /// </summary>
    public async Task<AddResult> AddAsync(byte[] body, string? idempotencyKey, CancellationToken ct)
    {
        var key = idempotencyKey is null ? null : new IdempotencyKey(idempotencyKey, SHA256.HashData(body));
        if (key is not null && await GivenBeforeAsync(key, ct) is { } before)
            return before;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return new AddResult(AddStatus.Malformed, Detail: $"The body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var errors = new Dictionary<string, string>();
            if (NewReviewParser.Parse(document.RootElement, errors) is not { } review)
                return new AddResult(AddStatus.Invalid, Errors: errors);
            if (review.CharacteristicIds.Length > 0)
            {
                var known = await writes.CharacteristicIdsAsync(review.ProductId, ct);
                if (review.CharacteristicIds.Where(id => !known.Contains(id)).ToList() is { Count: > 0 } unknown)
                {
                    errors["characteristics"] = $"Not characteristics of product {review.ProductId}: {string.Join(", ", unknown)}.";
                    return new AddResult(AddStatus.Invalid, Errors: errors);
                }
            }
            if (await writes.AddAsync(review, key, moderation.Value.HoldNewReviews, CancellationToken.None) is not { } id)
                return await GivenBeforeAsync(key!, ct) ?? throw new InvalidOperationException("An idempotency key was taken, then not found.");
            Announce(review.ProductId, "review");
            return new AddResult(AddStatus.Created, id);
        }
    }

    /// <summary>Adds one to a review's helpfulness; false when there is no such review.</summary>
    public Task<bool> MarkHelpfulAsync(long reviewId) => ChangeAsync(writes.MarkHelpfulAsync, reviewId, "helpful");

    /// <summary>Reports a review: it leaves the list and the meta (idempotent); false when there is no such review.</summary>
    public Task<bool> ReportAsync(long reviewId) => ChangeAsync(writes.ReportAsync, reviewId, "report");

    async Task<bool> ChangeAsync(Func<long, CancellationToken, Task<long?>> change, long reviewId, string kind)
    {
        if (await change(reviewId, CancellationToken.None) is not { } productId)
            return false;
        Announce(productId, kind);
        return true;
    }

    /// <summary>Before the answer: the writer's next read sees its change, here and on any other instance.</summary>
    void Announce(long productId, string kind)
    {
        changes.Changed(productId);
        metrics.Wrote(kind);
    }

    /// <summary>For a key used before: the review it wrote when the body is the same, a refusal when not; null for a new key.</summary>
    async Task<AddResult?> GivenBeforeAsync(IdempotencyKey key, CancellationToken ct) =>
        await writes.FindKeyedAsync(key.Key, ct) is not { } earlier ? null
        : earlier.RequestHash.AsSpan().SequenceEqual(key.RequestHash) ? new AddResult(AddStatus.Replayed, earlier.ReviewId)
        : new AddResult(AddStatus.KeyUsedForAnotherBody);
}
