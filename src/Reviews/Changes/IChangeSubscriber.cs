using NpgsqlTypes;

namespace Reviews.Changes;

/// <summary>
/// What hears of changes through the <see cref="ChangeFeed"/>: the change positions and the response cache. Each is told
/// in the order registered (Changes/ChangeFeedServices.cs).
/// </summary>
public interface IChangeSubscriber
{
    /// <summary>Whether this subscriber needs the other instances' notices (the feed LISTENs only if one does).</summary>
    bool NeedsNotices => false;

    /// <summary>This instance committed a change to the product; told before the write is answered.</summary>
    void Written(long productId);

    /// <summary>A notice: this instance's own once sent (<paramref name="own"/>), or another's as it arrives.</summary>
    void Heard(ChangeNotice notice, bool own);

    /// <summary>Notices are heard from now on; a change before <paramref name="position"/> may have gone unheard.</summary>
    void Subscribed(NpgsqlLogSequenceNumber position);

    /// <summary>The subscription was lost: changes may go unheard until the next <see cref="Subscribed"/>.</summary>
    void Unsubscribed()
    {
    }

    /// <summary>No subscriber needs notices, so this instance will hear none from the others.</summary>
    void HearingNone()
    {
    }
}
