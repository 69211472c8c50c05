using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Reviews.Api;
using Reviews.Changes;
using Reviews.Store;

namespace Reviews.Tests.Replication;

/// <summary>
/// Two instances over a primary and a standby whose replay is held back: reads go to the standby, and an answer it
/// gives without a change the instance has heard of is neither served nor cached.
/// </summary>
public sealed class StandbyReadTests(ReplicatedPostgres cluster) : IClassFixture<ReplicatedPostgres>
{
    static readonly TimeSpan Delay = TimeSpan.FromSeconds(4);

    static async Task<ApiServer> StartAsync(string connectionString)
    {
        var api = await ApiServer.StartAsync(connectionString);
        await api.SubscribedAsync();
        return api;
    }

    static JsonObject Review(long productId)
    {
        var review = Api.WriteTests.ValidReview();
        review["product_id"] = productId;
        review["characteristics"] = new JsonObject();
        return review;
    }

    [Fact]
    public async Task Once_a_change_is_heard_a_lagging_standbys_answers_are_neither_served_nor_cached()
    {
        const long product = 2;
        string meta = $"/reviews/meta?product_id={product}", newest = $"/reviews?product_id={product}&sort=newest&count=1";
        await using var writer = await StartAsync(cluster.BothConnectionString);
        await using var reader = await StartAsync(cluster.BothConnectionString);
        var before = await reader.Client.GetStringAsync(meta); // cached
        await reader.Client.GetStringAsync(newest);
        var refused = 0;
        reader.Service<StoreConnections>().StandbyBehind += () => Interlocked.Increment(ref refused);
        await cluster.DelayReplayAsync(Delay);
        try
        {
            // A review through the other instance: acknowledged, and heard of by the reader.
            var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reader.Service<ChangeFeed>().NoticeHandled += payload =>
            {
                if (payload.EndsWith($":{product}", StringComparison.Ordinal) || payload.Contains($":{product},") || payload.Contains($",{product}"))
                    heard.TrySetResult();
            };
            var posted = await writer.Client.PostAsJsonAsync("/reviews", Review(product));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["review_id"]!.GetValue<long>();
            await heard.Task.WaitAsync(TimeSpan.FromSeconds(5));

            // The control: the standby still has the old data, which a read that ignores positions would take.
            var builder = new NpgsqlDataSourceBuilder(cluster.BothConnectionString);
            Database.Configure(builder);
            await using var both = builder.BuildMultiHost();
            var ignoring = new ReviewQueries(new StoreConnections(both.WithTargetSession(TargetSessionAttributes.ReadWrite), both.WithTargetSession(TargetSessionAttributes.PreferStandby), Options.Create(new StandbyOptions())));
            var old = await ignoring.ListAsync(product, ReviewSort.Newest, 1, 1, null, new NpgsqlLogSequenceNumber(0), CancellationToken.None);
            Assert.NotEqual(id, Assert.Single(old).Id);

            // The reader, while the standby lacks the review: every answer has it (misses, then what they cached).
            var stale = 0;
            var answers = 0;
            var until = DateTime.UtcNow + Delay / 2;
            while (DateTime.UtcNow < until)
            {
                stale += await reader.Client.GetStringAsync(meta) == before ? 1 : 0;
                stale += (await reader.Client.GetStringAsync(newest)).Contains($"\"review_id\":{id},") ? 0 : 1;
                answers += 2;
            }
            Assert.True(answers > 10, $"{answers} answers");
            Assert.Equal(0, stale);
            Assert.True(refused >= 1, "the standby was asked first, and its answer refused");
        }
        finally
        {
            await cluster.DelayReplayAsync(TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task A_writers_next_read_on_another_instance_comes_from_the_primary_while_the_standby_lags()
    {
        const long product = 3;
        await using var writer = await StartAsync(cluster.BothConnectionString);
        await using var reader = await StartAsync(cluster.BothConnectionString);
        await reader.Client.GetStringAsync($"/reviews?product_id={product}&sort=newest&count=1");
        await cluster.DelayReplayAsync(Delay);
        try
        {
            var posted = await writer.Client.PostAsJsonAsync("/reviews", Review(product));
            var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["review_id"]!.GetValue<long>();
            var cookie = Assert.Single(posted.Headers.GetValues("Set-Cookie")).Split(';')[0];
            Assert.StartsWith(ReadYourWrites.Cookie + "=", cookie);

            // At once, before any notice can have arrived: the writer's read, on the other instance.
            using var read = new HttpRequestMessage(HttpMethod.Get, $"/reviews?product_id={product}&sort=newest&count=1");
            read.Headers.Add("Cookie", cookie);
            var answer = await (await reader.Client.SendAsync(read)).Content.ReadAsStringAsync();
            Assert.Contains($"\"review_id\":{id},", answer);
        }
        finally
        {
            await cluster.DelayReplayAsync(TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task With_no_primary_among_the_hosts_writes_are_503_and_reads_come_from_the_standby()
    {
        // Only the standby, named twice: writes find no read-write host. Reads cannot be vouched for (the instance
        // hears changes from the primary), and are answered from the standby as it is, as in a failover: a little
        // old is better than none.
        var standby = new NpgsqlConnectionStringBuilder(cluster.StandbyConnectionString);
        var connectionString = new NpgsqlConnectionStringBuilder(cluster.StandbyConnectionString)
        { Host = $"127.0.0.1:{standby.Port},localhost:{standby.Port}" }.ConnectionString;
        await using var api = await ApiServer.StartAsync(connectionString);

        var posted = await api.Client.PostAsJsonAsync("/reviews", Review(2));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, posted.StatusCode);
        Assert.True(posted.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.Client.PutAsync("/reviews/5/helpful", null)).StatusCode);
        var read = await api.Client.GetAsync("/reviews?product_id=2");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}
