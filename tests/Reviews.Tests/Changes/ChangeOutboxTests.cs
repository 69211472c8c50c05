using Reviews.Changes;

namespace Reviews.Tests.Changes;

/// <summary>The changes waiting to be told: batched into notices that fit, and "everything" once too many wait.</summary>
public sealed class ChangeOutboxTests
{
    const string Header = "0123456789ab/1765000000000";

    [Fact]
    public void Waiting_ids_go_out_once_each_in_the_order_written()
    {
        var outbox = new ChangeOutbox();
        foreach (var id in new long[] { 3, 1, 3, 2, 1 })
            outbox.Add(id);
        Assert.Equal("3,1,2", outbox.Next(Header));
        Assert.Equal("", outbox.Next(Header));
    }

    [Fact]
    public void A_notice_takes_only_as_many_ids_as_fit_and_the_rest_go_in_the_next()
    {
        var outbox = new ChangeOutbox();
        var ids = Enumerable.Range(0, 1_000).Select(i => 1_000_000_000_000_000L + i).ToList();
        ids.ForEach(outbox.Add);
        var told = new List<long>();
        for (var notice = outbox.Next(Header); notice != ""; notice = outbox.Next(Header))
        {
            // The whole payload as sent: header, a position of up to 20 digits, the ids; under NOTIFY's 8,000 bytes.
            Assert.True($"{Header}/{ulong.MaxValue}:{notice}".Length <= ChangeNotice.MaxPayload, $"a notice of {notice.Length} characters");
            told.AddRange(notice.Split(',').Select(long.Parse));
        }
        Assert.Equal(ids, told);
    }

    [Fact]
    public void Past_its_capacity_the_next_notice_is_everything_and_nothing_is_left_waiting()
    {
        var outbox = new ChangeOutbox(capacity: 10);
        for (long id = 1; id <= 11; id++)
            outbox.Add(id);
        Assert.Equal(ChangeNotice.Everything, outbox.Next(Header));
        Assert.Equal("", outbox.Next(Header));
        outbox.Add(5); // and it carries on as before
        Assert.Equal("5", outbox.Next(Header));
    }
}
