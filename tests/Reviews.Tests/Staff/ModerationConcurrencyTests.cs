using System.Collections.Concurrent;
using Reviews.Staff;

namespace Reviews.Tests.Staff;

/// <summary>
/// Moderation racing shoppers' votes and reports on the same reviews: every request succeeds, and the kept totals
/// equal a recount from scratch afterwards.
/// </summary>
public sealed class ModerationConcurrencyTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Publish_remove_report_and_votes_racing_on_one_products_reviews_keep_the_totals_exact()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);
        var token = StaffClient.Token(StaffRoles.Moderator);
        long[] reviews = [1, 2, 3, 4, 5, 9]; // product 1's, review 4 reported
        string[] actions = ["publish", "remove", "report", "helpful"];
        var statuses = new ConcurrentBag<string>();
        using var client = new HttpClient { BaseAddress = api.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await Parallel.ForAsync(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var review = reviews[i * 7 % reviews.Length];
            var action = actions[i * 13 % actions.Length];
            var request = action is "report" or "helpful"
                ? new HttpRequestMessage(HttpMethod.Put, $"/reviews/{review}/{action}")
                : new HttpRequestMessage(HttpMethod.Post, $"/moderation/reviews/{review}/{action}") { Headers = { Authorization = new("Bearer", token) } };
            var response = await client.SendAsync(request, ct);
            statuses.Add($"{action} {(int)response.StatusCode}");
        });

        Assert.Equal(600, statuses.Count);
        Assert.All(statuses, s => Assert.EndsWith(" 204", s));
        Assert.Equal(4, statuses.Select(s => s.Split(' ')[0]).Distinct().Count());
        await AggregateAssert.MatchRecountAsync(api.ConnectionString);
        // Every staff action is in the trail.
        Assert.Equal(statuses.Count(s => s.StartsWith("publish", StringComparison.Ordinal) || s.StartsWith("remove", StringComparison.Ordinal)),
            await PostgresFixture.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM staff.audit"));
    }
}
