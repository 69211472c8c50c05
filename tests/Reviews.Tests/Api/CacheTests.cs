using Reviews.Cache;
using Reviews.Changes;

namespace Reviews.Tests.Api;

/// <summary>
/// The response cache: answers come from memory until a write to their product, which evicts them before
/// its own response (on this instance) and within milliseconds on every other instance (LISTEN/NOTIFY);
/// a lost notification connection clears the whole cache. Two real instances share one database here.
/// </summary>
public sealed class CacheTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    string database = "";
    ApiServer a = null!, b = null!;

    public override async Task InitializeAsync()
    {
        database = await NewSeededDatabaseAsync();
        a = await ApiServer.StartAsync(database);
        b = await ApiServer.StartAsync(database);
        await a.SubscribedAsync(1);
        await b.SubscribedAsync(1);
    }

    public override async Task DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
        await base.DisposeAsync();
    }

    static Task<string> Helpfulness(ApiServer api) => api.Client.GetStringAsync("/reviews?product_id=2&sort=newest&count=1");

    /// <summary>Runs <paramref name="write"/> and returns once <paramref name="to"/> has acted on a notice naming the product.</summary>
    static async Task AfterNotice(ApiServer to, long productId, Func<Task> write)
    {
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnNotice(string payload)
        {
            if (payload[(payload.IndexOf(':') + 1)..].Split(',').Contains(productId.ToString()))
                handled.TrySetResult();
        }
        var invalidation = to.Service<ChangeFeed>();
        invalidation.NoticeHandled += OnNotice;
        try
        {
            await write();
            await handled.Task.WaitAsync(TimeSpan.FromSeconds(10)); // a TimeoutException fails the test: no notice came
        }
        finally
        {
            invalidation.NoticeHandled -= OnNotice;
        }
    }

    [Fact]
    public async Task Answers_come_from_memory_until_a_write_through_the_service()
    {
        var cached = await a.Client.GetStringAsync("/reviews/meta?product_id=2");
        // A change behind the service's back is not seen: the answer is cached...
        await PostgresFixture.ExecuteAsync(database, "UPDATE reviews.product_stats SET rating_5 = 99 WHERE product_id = 2");
        Assert.Equal(cached, await a.Client.GetStringAsync("/reviews/meta?product_id=2"));
        // ...until a write through the service, which evicts the product before it answers.
        var review = WriteTests.ValidReview();
        review["product_id"] = 2;
        review["characteristics"] = new JsonObject();
        Assert.Equal(HttpStatusCode.Created, (await a.Client.PostAsJsonAsync("/reviews", review)).StatusCode);
        Assert.Contains("\"5\":\"99\"", await a.Client.GetStringAsync("/reviews/meta?product_id=2"));
    }

    [Fact]
    public async Task The_writers_next_read_on_the_same_instance_sees_each_kind_of_write()
    {
        var list = await a.Client.GetStringAsync("/reviews?product_id=1&count=10");
        await a.Client.PutAsync("/reviews/3/helpful", null);
        var afterHelpful = await a.Client.GetStringAsync("/reviews?product_id=1&count=10");
        Assert.NotEqual(list, afterHelpful);
        Assert.Contains("\"review_id\":3,", afterHelpful);

        await a.Client.PutAsync("/reviews/3/report", null);
        Assert.DoesNotContain("\"review_id\":3,", await a.Client.GetStringAsync("/reviews?product_id=1&count=10"));

        var meta = await a.Client.GetStringAsync("/reviews/meta?product_id=3");
        var review = WriteTests.ValidReview();
        await a.Client.PostAsJsonAsync("/reviews", review);
        Assert.NotEqual(meta, await a.Client.GetStringAsync("/reviews/meta?product_id=3"));
    }

    [Fact]
    public async Task Another_instance_evicts_within_milliseconds_of_a_write()
    {
        Assert.Contains("\"helpfulness\":0,", await Helpfulness(b)); // cached on b
        await AfterNotice(b, 2, async () =>
            Assert.Equal(HttpStatusCode.NoContent, (await a.Client.PutAsync("/reviews/8/helpful", null)).StatusCode));
        Assert.Contains("\"helpfulness\":1,", await Helpfulness(b));
    }

    [Fact]
    public async Task A_write_evicts_its_own_product_and_no_other()
    {
        // Product 65,538 shared a stripe of generations with product 2 (review 8's) when there were 2^16 of them.
        const string other = "/reviews/meta?product_id=65538";
        var cachedOnA = await a.Client.GetStringAsync(other);
        var cachedOnB = await b.Client.GetStringAsync(other);
        await PostgresFixture.ExecuteAsync(database, "INSERT INTO reviews.product_stats (product_id, rating_4) VALUES (65538, 7)");

        await AfterNotice(b, 2, () => a.Client.PutAsync("/reviews/8/helpful", null));
        Assert.Equal(cachedOnA, await a.Client.GetStringAsync(other));
        Assert.Equal(cachedOnB, await b.Client.GetStringAsync(other));
    }

    [Fact]
    public async Task An_instance_skips_its_own_notices()
    {
        // a evicted when it wrote; its notice coming back must not throw away what a has read since.
        var cachedOnA = await Helpfulness(a);
        await AfterNotice(a, 2, () => AfterNotice(b, 2, () => PostgresFixture.ExecuteAsync(database, $"""
            UPDATE reviews.reviews SET helpfulness = 99 WHERE id = 8;
            SELECT pg_notify('{Reviews.Changes.ChangeNotice.Channel}', '{a.Service<ChangeFeed>().Instance}:2');
            """)));
        Assert.Contains("\"helpfulness\":99,", await Helpfulness(b));
        Assert.Equal(cachedOnA, await Helpfulness(a));
    }

    [Fact]
    public async Task A_writer_reads_its_write_at_once_on_another_instance_1000_times_of_1000()
    {
        // One client (one cookie jar) writing through a and reading through b, as through a load balancer; b has
        // the old answer cached each time, and its notice may not have come yet.
        var cookies = new CookieContainer();
        using var onA = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = a.Client.BaseAddress };
        using var onB = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = b.Client.BaseAddress };
        var stale = 0;
        for (var votes = 1; votes <= 1000; votes++)
        {
            Assert.Contains($"\"helpfulness\":{votes - 1},", await Helpfulness(b));
            var vote = await onA.PutAsync("/reviews/8/helpful", null);
            Assert.Equal(HttpStatusCode.NoContent, vote.StatusCode);
            if (!(await onB.GetStringAsync("/reviews?product_id=2&sort=newest&count=1")).Contains($"\"helpfulness\":{votes},"))
                stale++;
            // b's own cached answer (read without the cookie) is current once the notice is in.
            await AfterNoticeOrNow(b, votes);
        }
        Assert.Equal(0, stale);
    }

    static Task AfterNoticeOrNow(ApiServer api, int votes) =>
        Wait.UntilAsync(async () => (await Helpfulness(api)).Contains($"\"helpfulness\":{votes},"), $"an answer with {votes} votes");

    [Fact]
    public async Task A_write_answers_with_a_short_lived_cookie_and_a_read_does_not()
    {
        var vote = await a.Client.PutAsync("/reviews/8/helpful", null);
        var cookie = Assert.Single(vote.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("reviews_wrote=", cookie);
        Assert.Contains("max-age=10", cookie);
        Assert.Contains("httponly", cookie);
        Assert.False((await a.Client.GetAsync("/reviews?product_id=2")).Headers.Contains("Set-Cookie"));
        Assert.False((await a.Client.PutAsync("/reviews/999999/helpful", null)).Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_lost_notification_connection_clears_the_cache_so_no_stale_answer_survives()
    {
        var old = await Helpfulness(b); // cached on b
        // Cut b's listening connection, and write through a at once: b may never get that notice.
        await PostgresFixture.ExecuteAsync(database,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reviews-cache-listener' AND datname = current_database()");
        await a.Client.PutAsync("/reviews/8/helpful", null);
        await b.SubscribedAsync(2); // b noticed, cleared and subscribed again
        await a.SubscribedAsync(2);
        Assert.NotEqual(old, await Helpfulness(b));

        // And the new subscription works.
        var now = await Helpfulness(b);
        await AfterNotice(b, 2, () => a.Client.PutAsync("/reviews/8/helpful", null));
        Assert.NotEqual(now, await Helpfulness(b));
    }

    [Fact]
    public async Task A_read_racing_a_write_cannot_leave_a_stale_answer_behind()
    {
        // Many reads of one product on b while a writes to it: once a's last write is acknowledged and
        // b has had a moment for the notice, b answers with every vote counted.
        var readers = Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 100; i++)
                await Helpfulness(b);
        }).ToArray();
        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.NoContent, (await a.Client.PutAsync("/reviews/8/helpful", null)).StatusCode);
        await Task.WhenAll(readers);
        // The last vote's notice may ride with an earlier batch or the next: wait for answers until b counts all 30.
        await Wait.UntilAsync(async () => (await Helpfulness(b)).Contains("\"helpfulness\":30,"), "b's answer with all 30 votes");
        Assert.Contains("\"helpfulness\":30,", await Helpfulness(b));
        Assert.Contains("\"helpfulness\":30,", await Helpfulness(a));
    }

    [Fact]
    public async Task Many_long_product_ids_are_told_in_notices_that_fit_and_later_notices_still_flow()
    {
        // 500 ids of 16 digits are 8,500 bytes: over NOTIFY's 8,000 in one notice.
        var told = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        void OnNotice(string payload)
        {
            foreach (var id in payload[(payload.IndexOf(':') + 1)..].Split(','))
                told[long.Parse(id)] = true;
        }
        var listener = b.Service<ChangeFeed>();
        listener.NoticeHandled += OnNotice;
        try
        {
            var ids = Enumerable.Range(0, 500).Select(i => 1_000_000_000_000_000 + i).ToList();
            await AfterNotice(b, 2, () =>
            {
                ids.ForEach(a.Service<ChangeFeed>().Changed);
                a.Service<ChangeFeed>().Changed(2); // after them: told once they all are
                return Task.CompletedTask;
            });
            Assert.All(ids, id => Assert.True(told.ContainsKey(id), $"{id} was never told"));
        }
        finally
        {
            listener.NoticeHandled -= OnNotice;
        }
        await AfterNotice(b, 2, () => a.Client.PutAsync("/reviews/8/helpful", null));
    }

    [Fact]
    public async Task A_write_whose_client_goes_away_is_carried_out_and_told_to_every_instance()
    {
        var cachedOnB = await b.Client.GetStringAsync("/reviews/meta?product_id=3");
        // Each new review takes two seconds to insert: the client goes away while the database is inside the insert
        // (seen in pg_stat_activity, not guessed with a client timeout that a busy machine can beat).
        await PostgresFixture.ExecuteAsync(database, """
            CREATE FUNCTION reviews.slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$;
            CREATE TRIGGER slow AFTER INSERT ON reviews.reviews FOR EACH ROW EXECUTE FUNCTION reviews.slow();
            """);
        await AfterNotice(b, 3, async () =>
        {
            using var goneAway = new CancellationTokenSource();
            var post = a.Client.PostAsJsonAsync("/reviews", WriteTests.ValidReview(), goneAway.Token);
            await Wait.UntilAsync(async () => await PostgresFixture.ScalarAsync<long>(database,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'") == 1,
                "the insert to be under way");
            await goneAway.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
        });
        Assert.Equal(1, await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM reviews WHERE product_id = 3"));
        Assert.NotEqual(cachedOnB, await b.Client.GetStringAsync("/reviews/meta?product_id=3"));
    }

    [Fact]
    public async Task Switched_off_every_answer_comes_from_the_database()
    {
        await using var uncached = await ApiServer.StartAsync(database, ("Reviews:Cache:Enabled", "false"));
        var before = await uncached.Client.GetStringAsync("/reviews/meta?product_id=2");
        await PostgresFixture.ExecuteAsync(database, "UPDATE reviews.product_stats SET rating_5 = 42 WHERE product_id = 2");
        var after = await uncached.Client.GetStringAsync("/reviews/meta?product_id=2");
        Assert.NotEqual(before, after);
        Assert.Contains("\"5\":\"42\"", after);
        Assert.False(uncached.Service<ResponseCache>().Enabled);
    }
}
