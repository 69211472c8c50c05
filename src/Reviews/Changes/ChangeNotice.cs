using System.Globalization;
using NpgsqlTypes;

namespace Reviews.Changes;

/// <summary>
/// One notice on <see cref="Channel"/>: which products changed, "sender/unix-ms/position:id,id,…". The sender names the
/// instance (each skips its own), the time gives the delivery lag, and the position is the primary's WAL position
/// after the changes: what a standby must have replayed before its answers about them count. An id list of
/// <see cref="Everything"/> (an import's swap; an instance whose outbox overflowed) stands for every product, and so
/// does anything else that is not a product id. The importer's first notice is a bare "*".
/// </summary>
public sealed record ChangeNotice(string? Sender, DateTimeOffset? SentAt, NpgsqlLogSequenceNumber? Position, IReadOnlyList<long> ProductIds,
    bool EverythingChanged)
{
    /// <summary>The PostgreSQL NOTIFY channel every instance LISTENs on.</summary>
    public const string Channel = "reviews_changed";

    /// <summary>The id list that stands for every product.</summary>
    public const string Everything = "*";

    /// <summary>A NOTIFY payload holds at most 8000 bytes: a notice takes ids up to this many (ASCII) characters.</summary>
    public const int MaxPayload = 7900;

    /// <summary>
    /// Sends a notice ($1: "sender/unix-ms", $2: the ids) with the primary's WAL insert position once the writes have
    /// committed (at or after each one's commit record), and returns that position. The notice alone needs no durable
    /// commit: losing it with the server is losing the caches too.
    /// </summary>
    public const string SendSql = $"""
        SELECT position, pg_notify('{Channel}', $1 || '/' || (position - '0/0') || ':' || $2)
        FROM (SELECT pg_current_wal_insert_lsn() AS position, set_config('synchronous_commit', 'off', true)) AS now_at
        """;

    /// <summary>
    /// Tells every instance that everything changed, from <paramref name="sender"/>, at the primary's current WAL position
    /// (the importer runs it after its swap has committed).
    /// </summary>
    public static string EverythingChangedSql(string sender) => $"""
        SELECT pg_notify('{Channel}', '{sender}/' || (extract(epoch FROM clock_timestamp()) * 1000)::bigint
                         || '/' || (pg_current_wal_insert_lsn() - '0/0') || ':{Everything}')
        """;

    /// <summary>The "sender/unix-ms" part of a notice sent now.</summary>
    public static string Header(string sender, DateTimeOffset now) =>
        $"{sender}/{now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads a payload; whatever part is missing or unreadable is null (a bare "*" is everything, from no one).</summary>
    public static ChangeNotice Parse(string payload) => Parse(payload, null);

    /// <summary>A notice this instance sent (<paramref name="ids"/> as sent), at the position the primary gave back.</summary>
    public static ChangeNotice Sent(string ids, NpgsqlLogSequenceNumber position) => Parse(ids, position);

    static ChangeNotice Parse(string payload, NpgsqlLogSequenceNumber? sentAt)
    {
        var colon = payload.IndexOf(':');
        var header = colon < 0 ? [] : payload[..colon].Split('/');
        DateTimeOffset? time = header.Length > 1 && long.TryParse(header[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        var position = sentAt ?? (header.Length > 2 && ulong.TryParse(header[2], NumberStyles.None, CultureInfo.InvariantCulture, out var lsn)
            ? new NpgsqlLogSequenceNumber(lsn) : null);
        var ids = new List<long>();
        var everything = false;
        foreach (var token in payload[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var productId))
                ids.Add(productId);
            else
                everything = true;
        }
        return new ChangeNotice(header.FirstOrDefault(), time, position, ids, everything);
    }
}
