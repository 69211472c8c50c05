using Reviews.Changes;
using Reviews.Store;
using Reviews.Telemetry;

namespace Reviews.Writing;

/// <summary>
/// The staff's writes, with what follows each as for a shopper's (<see cref="ReviewWriter"/>): the change announced to
/// every instance's cache, and counted. Like those, a write received whole is carried out even if its client goes away.
/// </summary>
public sealed class StaffWriter(ModerationStore moderation, PrivacyStore privacy, ChangeFeed changes, ReviewsMetrics metrics)
{
    /// <summary>Publishes a pending review, or restores a reported or removed one; null when there is no such review.</summary>
    public Task<StateChange?> PublishAsync(long reviewId, string actor) => SetStateAsync(reviewId, ReviewStates.Published, actor, "publish");

    /// <summary>Takes a review down; null when there is no such review.</summary>
    public Task<StateChange?> RemoveAsync(long reviewId, string actor) => SetStateAsync(reviewId, ReviewStates.Removed, actor, "remove");

    async Task<StateChange?> SetStateAsync(long reviewId, string state, string actor, string action)
    {
        var change = await moderation.SetStateAsync(reviewId, state, actor, action, CancellationToken.None);
        if (change is not null)
            Announce(change.ProductId, action);
        return change;
    }

    /// <summary>Sets or clears the shop's response; null when there is no such review.</summary>
    public async Task<StateChange?> RespondAsync(long reviewId, string? response, string actor)
    {
        var change = await moderation.SetResponseAsync(reviewId, response, actor, CancellationToken.None);
        if (change is not null)
            Announce(change.ProductId, "respond");
        return change;
    }

    /// <summary>Erases every review written with the address; returns them (none the second time).</summary>
    public async Task<List<ErasedReview>> EraseAsync(string email, string actor, string reviewer)
    {
        var erased = await privacy.EraseAsync(email, actor, reviewer, CancellationToken.None);
        foreach (var product in erased.Select(r => r.ProductId).Distinct())
            Announce(product, "erase");
        return erased;
    }

    void Announce(long productId, string kind)
    {
        changes.Changed(productId);
        metrics.Wrote(kind);
    }
}
