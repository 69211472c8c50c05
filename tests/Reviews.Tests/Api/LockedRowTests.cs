using System.Diagnostics;
using Npgsql;

namespace Reviews.Tests.Api;

/// <summary>
/// A row locked by someone else (a long transaction, a stuck migration): writes to it give up in bounded time with
/// a 503 that says the database is busy, and reads of everything else keep being answered meanwhile.
/// </summary>
public sealed class LockedRowTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Votes_for_a_locked_review_are_a_busy_503_in_seconds_and_reads_go_on()
    {
        var database = await NewSeededDatabaseAsync();
        // A pool of 8, no cache: every read needs a connection, as in the report that found the starvation.
        await using var api = await ApiServer.StartAsync(database + ";Maximum Pool Size=8", ("Reviews:Cache:Enabled", "false"));
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM reviews.reviews WHERE id = 3 FOR UPDATE", holder, tx))
            await lockRow.ExecuteNonQueryAsync();

        var clock = Stopwatch.StartNew();
        var votes = Enumerable.Range(0, 16).Select(_ => api.Client.PutAsync("/reviews/3/helpful", null)).ToArray();
        var reads = new List<HttpStatusCode>();
        while (!votes.All(v => v.IsCompleted) && clock.Elapsed < TimeSpan.FromSeconds(30))
            reads.Add((await api.Client.GetAsync($"/reviews?product_id={1 + reads.Count % 3}")).StatusCode);
        var answered = await Task.WhenAll(votes);

        Assert.All(reads, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.NotEmpty(reads);
        foreach (var vote in answered)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, vote.StatusCode);
            Assert.NotNull(vote.Headers.RetryAfter);
            Assert.Equal("Database busy", (string?)JsonNode.Parse(await vote.Content.ReadAsStringAsync())!["title"]);
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the votes were answered after {clock.Elapsed.TotalSeconds:0.0} s");

        await tx.RollbackAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.PutAsync("/reviews/3/helpful", null)).StatusCode);
    }
}
