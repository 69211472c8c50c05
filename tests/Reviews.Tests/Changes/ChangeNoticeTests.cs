using NpgsqlTypes;
using Reviews.Changes;

namespace Reviews.Tests.Changes;

/// <summary>The notice's payload, as instances and the importer send it.</summary>
public sealed class ChangeNoticeTests
{
    [Fact]
    public void An_instances_notice_names_its_sender_time_position_and_products()
    {
        var notice = ChangeNotice.Parse("0123456789ab/1765000000123/24154112:2,9000000000000000001");
        Assert.Equal("0123456789ab", notice.Sender);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1765000000123), notice.SentAt);
        Assert.Equal(new NpgsqlLogSequenceNumber(24154112), notice.Position);
        Assert.Equal([2L, 9000000000000000001L], notice.ProductIds);
        Assert.False(notice.EverythingChanged);
    }

    [Theory]
    [InlineData("*")]                              // the importer's first notice, in its transaction
    [InlineData("import/1765000000123/99:*")]     // and its second, with the swap's position
    [InlineData("0123456789ab/1/2:3,abc")]        // anything that is not a product id stands for everything
    public void Anything_but_product_ids_means_everything_changed(string payload) =>
        Assert.True(ChangeNotice.Parse(payload).EverythingChanged);

    [Fact]
    public void A_notice_without_a_header_has_no_sender_time_or_position()
    {
        var notice = ChangeNotice.Parse("someone:2");
        Assert.Null(notice.SentAt);
        Assert.Null(notice.Position);
        Assert.Equal([2L], notice.ProductIds);
    }
}
