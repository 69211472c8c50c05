using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NpgsqlTypes;
using Reviews.Store;

namespace Reviews.Changes;

/// <summary>
/// Where in the primary's WAL each product last changed, as far as this instance has heard (its own writes, and the
/// others' notices): what a standby must have replayed before its answer about the product is current. Changes heard
/// of more than <see cref="StandbyOptions.MaxLagSeconds"/> ago fold into one floor that every standby answer must
/// pass, which keeps the map small and bounds a standby's lag. Until it knows where the primary was when it began
/// to hear of changes (<see cref="Listening"/>), every read goes to the primary.
/// </summary>
public sealed class ChangePositions(IOptions<StandbyOptions> options, TimeProvider? clock = null) : IChangeSubscriber
{
    readonly TimeProvider time = clock ?? TimeProvider.System;
    readonly long keepFor = (long)(options.Value.MaxLagSeconds * (clock ?? TimeProvider.System).TimestampFrequency);
    readonly ConcurrentDictionary<long, ulong> products = new();
    readonly ConcurrentQueue<(long At, long ProductId, ulong Position)> heard = new();
    ulong floor = ulong.MaxValue;

    /// <summary>What a standby must have replayed for its answer about <paramref name="productId"/> to count.</summary>
    public NpgsqlLogSequenceNumber Required(long productId)
    {
        var position = Volatile.Read(ref floor);
        if (products.TryGetValue(productId, out var changed) && changed > position)
            position = changed;
        return new NpgsqlLogSequenceNumber(position);
    }

    /// <summary>
    /// What a read about <paramref name="productId"/> must see: everything (the primary) for a client that wrote
    /// moments ago (read-your-writes), else <see cref="Required(long)"/>.
    /// </summary>
    public NpgsqlLogSequenceNumber Required(long productId, bool recentWriter) => recentWriter ? StoreConnections.PrimaryOnly : Required(productId);

    /// <summary>
    /// This instance changed the product; where in the WAL is not known until its notice is sent: until then, its
    /// answers come from the primary.
    /// </summary>
    public void Writing(long productId) => products[productId] = ulong.MaxValue;

    /// <summary>The product changed at or before <paramref name="position"/> (a notice, this instance's or another's).</summary>
    public void Heard(long productId, NpgsqlLogSequenceNumber position)
    {
        var value = (ulong)position;
        products.AddOrUpdate(productId, value, (_, known) => known == ulong.MaxValue ? value : Math.Max(known, value));
        heard.Enqueue((time.GetTimestamp(), productId, value));
        Forget();
    }

    /// <summary>
    /// Changes are heard from now on, and the primary was at <paramref name="position"/>: any change before it may have
    /// gone unheard (the instance was starting, or its listener was lost), so standbys must have replayed it all. What
    /// was heard before is forgotten: the floor covers it, and after a restore to a point in time its positions belong
    /// to a history left behind, higher than the new one's, and would hold every standby answer back until the new
    /// WAL passed them.
    /// </summary>
    public void Listening(NpgsqlLogSequenceNumber position)
    {
        heard.Clear();
        products.Clear();
        Volatile.Write(ref floor, (ulong)position);
    }

    /// <summary>
    /// No changes are heard here (no cache, so no listener): standby answers count as they come, as old as the
    /// standby's lag (a writer's own reads still go to the primary).
    /// </summary>
    public void NotListening() => Volatile.Write(ref floor, 0);

    /// <summary>Everything changed at or before <paramref name="position"/> (an import's swap, or notices lost).</summary>
    public void HeardEverything(NpgsqlLogSequenceNumber position)
    {
        Raise((ulong)position);
        foreach (var (productId, known) in products)
            if (known <= Volatile.Read(ref floor) || known == ulong.MaxValue)
                products.TryRemove(new KeyValuePair<long, ulong>(productId, known));
    }

    // Changes heard long enough ago join the floor; a product whose last change is under the floor needs no entry.
    void Forget()
    {
        var before = time.GetTimestamp() - keepFor;
        while (heard.TryPeek(out var oldest) && oldest.At < before && heard.TryDequeue(out oldest))
        {
            Raise(oldest.Position);
            products.TryRemove(new KeyValuePair<long, ulong>(oldest.ProductId, oldest.Position));
        }
    }

    void Raise(ulong position)
    {
        var current = Volatile.Read(ref floor);
        while (position > current)
        {
            var seen = Interlocked.CompareExchange(ref floor, position, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    void IChangeSubscriber.Written(long productId) => Writing(productId);

    void IChangeSubscriber.Heard(ChangeNotice notice, bool own)
    {
        if (notice.Position is not { } position)
            return;
        foreach (var productId in notice.ProductIds)
            Heard(productId, position);
        if (notice.EverythingChanged)
            HeardEverything(position);
    }

    void IChangeSubscriber.Subscribed(NpgsqlLogSequenceNumber position) => Listening(position);

    void IChangeSubscriber.HearingNone() => NotListening();
}
