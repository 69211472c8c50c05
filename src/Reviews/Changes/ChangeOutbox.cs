using System.Text;
using System.Threading.Channels;

namespace Reviews.Changes;

/// <summary>
/// The products this instance changed that the other instances have not been told of yet, taken out a notice's worth
/// at a time. Bounded: past <paramref name="capacity"/> changes waiting (the database unreachable for a while) a change
/// is not kept, and the next notice says that everything changed instead.
/// </summary>
public sealed class ChangeOutbox(int capacity = ChangeOutbox.DefaultCapacity)
{
    public const int DefaultCapacity = 100_000;

    readonly Channel<long> waiting = Channel.CreateBounded<long>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    int overflowed;

    /// <summary>Queues a changed product (never waits: when full, the next notice is "everything").</summary>
    public void Add(long productId)
    {
        if (!waiting.Writer.TryWrite(productId))
            Volatile.Write(ref overflowed, 1);
    }

    /// <summary>Waits until there is something to tell.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken ct) => waiting.Reader.WaitToReadAsync(ct);

    /// <summary>
    /// The ids of the next notice: as many distinct waiting ids as fit beside <paramref name="header"/>, or
    /// <see cref="ChangeNotice.Everything"/> (and nothing left waiting) after an overflow.
    /// </summary>
    public string Next(string header)
    {
        if (Interlocked.Exchange(ref overflowed, 0) == 1)
        {
            while (waiting.Reader.TryRead(out _))
            {
            }
            return ChangeNotice.Everything;
        }
        var ids = new StringBuilder();
        var taken = new HashSet<long>();
        // The header, its position (up to 20 digits and a slash) and a colon; then each id, up to 20 digits and a comma.
        while (waiting.Reader.TryPeek(out var id) && (taken.Contains(id) || header.Length + 22 + ids.Length + 21 <= ChangeNotice.MaxPayload))
        {
            waiting.Reader.TryRead(out _);
            if (taken.Add(id))
                ids.Append(taken.Count == 1 ? "" : ",").Append(id);
        }
        return ids.ToString();
    }
}
