using Microsoft.Extensions.Options;
using NpgsqlTypes;
using Reviews.Changes;
using Reviews.Store;

namespace Reviews.Tests.Changes;

/// <summary>What a standby must have replayed before its answer about a product counts, as changes are heard of.</summary>
public sealed class ChangePositionsTests
{
    static readonly NpgsqlLogSequenceNumber AtStart = new(100);
    readonly ManualClock clock = new();
    readonly ChangePositions positions;

    public ChangePositionsTests() => positions = new(Options.Create(new StandbyOptions { MaxLagSeconds = 30 }), clock);

    static NpgsqlLogSequenceNumber At(ulong position) => new(position);

    [Fact]
    public void Until_it_listens_every_read_goes_to_the_primary()
    {
        Assert.Equal(StoreConnections.PrimaryOnly, positions.Required(1));
        positions.Heard(1, At(500));
        Assert.Equal(StoreConnections.PrimaryOnly, positions.Required(2));
    }

    [Fact]
    public void Listening_sets_a_floor_and_a_product_heard_of_since_needs_its_own_position()
    {
        positions.Listening(AtStart);
        Assert.Equal(AtStart, positions.Required(1));
        positions.Heard(1, At(500));
        Assert.Equal(At(500), positions.Required(1));
        Assert.Equal(AtStart, positions.Required(2));
        positions.Heard(1, At(300)); // an older notice arriving late does not lower it
        Assert.Equal(At(500), positions.Required(1));
    }

    [Fact]
    public void A_writer_reads_from_the_primary_and_its_product_too_until_its_notice_gives_a_position()
    {
        positions.Listening(AtStart);
        Assert.Equal(StoreConnections.PrimaryOnly, positions.Required(1, recentWriter: true));
        positions.Writing(1);
        Assert.Equal(StoreConnections.PrimaryOnly, positions.Required(1));
        positions.Heard(1, At(700));
        Assert.Equal(At(700), positions.Required(1));
    }

    [Fact]
    public void Changes_heard_of_longer_ago_than_the_lag_bound_fold_into_the_floor()
    {
        positions.Listening(AtStart);
        positions.Heard(1, At(500));
        clock.Milliseconds += 31_000;
        positions.Heard(2, At(600)); // folding happens as changes are heard
        Assert.Equal(At(500), positions.Required(3)); // every standby answer must now have 500
        Assert.Equal(At(500), positions.Required(1));
        Assert.Equal(At(600), positions.Required(2));
    }

    [Fact]
    public void Listening_again_forgets_a_history_a_restore_left_behind()
    {
        positions.Listening(AtStart);
        positions.Heard(1, At(5000));
        positions.Listening(At(1000)); // the restored primary, its WAL behind the positions heard before
        Assert.Equal(At(1000), positions.Required(1));
        clock.Milliseconds += 31_000;
        positions.Heard(2, At(1100)); // folding what was heard before the restore would raise the floor to 5000
        Assert.Equal(At(1000), positions.Required(3));
        Assert.Equal(At(1100), positions.Required(2));
    }

    [Fact]
    public void Everything_changed_raises_the_floor_past_every_product_and_drops_them()
    {
        positions.Listening(AtStart);
        positions.Heard(1, At(500));
        positions.Writing(2);
        positions.HeardEverything(At(800));
        Assert.Equal(At(800), positions.Required(1));
        Assert.Equal(At(800), positions.Required(2)); // its write is before the import's swap
        positions.HeardEverything(At(400)); // never lowered
        Assert.Equal(At(800), positions.Required(3));
    }

    [Fact]
    public void Without_a_listener_standby_answers_count_as_they_come()
    {
        positions.NotListening();
        Assert.Equal(At(0), positions.Required(1));
        Assert.Equal(StoreConnections.PrimaryOnly, positions.Required(1, recentWriter: true));
    }

    [Fact]
    public void Raised_from_many_threads_at_once_the_floor_ends_at_the_highest_position()
    {
        positions.Listening(AtStart);
        var highest = 0UL;
        Parallel.For(0, 8, thread =>
        {
            var random = new Random(thread);
            for (var i = 0; i < 10_000; i++)
            {
                var position = (ulong)random.NextInt64(1_000, 1_000_000_000);
                InterlockedMax(ref highest, position);
                positions.HeardEverything(At(position));
            }
        });
        Assert.Equal(At(highest), positions.Required(42));
    }

    static void InterlockedMax(ref ulong target, ulong value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
                return;
    }
}
