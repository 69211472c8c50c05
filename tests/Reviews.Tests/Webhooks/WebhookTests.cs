using System.Diagnostics;
using Npgsql;
using Reviews.Staff;

namespace Reviews.Tests.Webhooks;

/// <summary>
/// Webhooks end to end, with a real receiver that verifies every signature with an independent implementation:
/// every event type, the subscription rules, and the faults (the receiver down, slow; an instance killed; the
/// database cut off). Each fault test prints the events written, delivered and duplicated.
/// </summary>
public sealed class WebhookTests(PostgresFixture postgres, Xunit.Abstractions.ITestOutputHelper output) : DatabaseTest(postgres)
{
    static readonly (string, string)[] Fast =
    [
        .. StaffClient.Settings, ("Reviews:Webhooks:AllowHttp", "true"), ("Reviews:Webhooks:AllowPrivateAddresses", "true"),
        ("Reviews:Webhooks:PollMilliseconds", "50"), ("Reviews:Webhooks:BackoffScale", "0.05"), ("Reviews:Webhooks:TimeoutSeconds", "3"),
    ];

    readonly string admin = StaffClient.Token(StaffRoles.Admin);

    static async Task<string> SubscribeAsync(ApiServer api, string token, string url, params string[] events)
    {
        var response = await api.SendAsync(HttpMethod.Post, "/webhooks/subscriptions", token,
            new JsonObject { ["url"] = url, ["events"] = new JsonArray([.. events.Select(e => (JsonNode)e)]) });
        return (string)(await response.JsonAsync())["secret"]!;
    }

    static async Task<long> PostAsync(HttpClient client, int product = 2)
    {
        var review = Api.WriteTests.ValidReview();
        review["product_id"] = product;
        review["characteristics"] = new JsonObject();
        var response = await client.PostAsJsonAsync("/reviews", review);
        return response.StatusCode == HttpStatusCode.Created ? (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["review_id"]! : 0;
    }

    void Print(string fault, int written, WebhookReceiver receiver)
    {
        var (distinct, duplicates) = receiver.Counts();
        output.WriteLine($"{fault}: {written} events written, {distinct} delivered, {duplicates} delivered twice");
    }

    [Fact]
    public async Task Every_event_type_arrives_signed_with_the_review_as_the_list_shows_it()
    {
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), Fast);
        receiver.Secret = await SubscribeAsync(api, admin, receiver.Url, [.. global::Reviews.Store.WebhookEvents.All]);

        var id = await PostAsync(api.Client);
        await api.Client.PutAsync($"/reviews/{id}/helpful", null);
        await api.Client.PutAsync($"/reviews/{id}/report", null);
        var moderator = StaffClient.Token(StaffRoles.Moderator);
        await api.SendAsync(HttpMethod.Post, $"/moderation/reviews/{id}/publish", moderator);
        await api.SendAsync(HttpMethod.Put, $"/moderation/reviews/{id}/response", moderator, new JsonObject { ["response"] = "Thanks!" });
        await api.SendAsync(HttpMethod.Post, $"/moderation/reviews/{id}/remove", moderator);
        await Wait.UntilAsync(() => receiver.Received.Count == 6, "six events delivered");
        await api.SendAsync(HttpMethod.Delete, "/privacy/reviews?email=newbie@example.com", StaffClient.Token(StaffRoles.Privacy));
        await Wait.UntilAsync(() => receiver.Received.Count == 7, "the erasure delivered");

        var received = receiver.Received.ToList();
        // (Delivered side by side, so not necessarily in order.)
        Assert.Equal(new[] { "review.created", "review.erased", "review.helpful", "review.published", "review.removed", "review.reported", "review.responded" },
            received.Select(d => d.Type).Order());
        Assert.All(received, d => Assert.True(d.SignatureValid, $"{d.Type}: the signature does not verify"));
        Assert.All(received, d => Assert.Equal(id, d.ReviewId));
        Assert.Equal(7, received.Select(d => d.Id).Distinct().Count());
        Assert.Null(received.Single(d => d.Type == "review.erased").Body["data"]!["review"]);
        // The payload's review is the list's item, as it stood when delivered (the response given by then).
        var responded = received.Single(d => d.Type == "review.responded").Body["data"]!["review"]!;
        Assert.Equal("Thanks!", (string)responded["response"]!);
        Assert.Equal(new[] { "review_id", "rating", "summary", "recommend", "response", "body", "date", "reviewer_name", "helpfulness", "photos" },
            responded.AsObject().Select(p => p.Key));
        Print("every type", 7, receiver);
        // Counted for Prometheus (the backlog alert's measure among them: deploy/prometheus/alerts.yml).
        var metrics = await api.Client.GetStringAsync("/metrics");
        Assert.Matches("reviews_webhook_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*\\} 7", metrics);
        Assert.Contains("reviews_webhook_oldest_undelivered_seconds", metrics);
    }

    [Theory]
    [InlineData("http://receiver.example/hook", "https")]                // http, without AllowHttp
    [InlineData("https://127.0.0.1/hook", "loopback, private")]          // this machine
    [InlineData("https://10.1.2.3/hook", "loopback, private")]           // a private network
    [InlineData("https://169.254.169.254/latest/meta-data", "loopback")] // the cloud's metadata service
    [InlineData("https://[::1]/hook", "loopback")]
    [InlineData("https://localhost/hook", "loopback")]
    [InlineData("https://user:pw@receiver.example/hook", "user name")]
    [InlineData("not a url", "absolute URL")]
    public async Task A_receiver_at_an_internal_or_plain_http_address_is_refused(string url, string detail)
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);
        var response = await api.SendAsync(HttpMethod.Post, "/webhooks/subscriptions", admin,
            new JsonObject { ["url"] = url, ["events"] = new JsonArray("review.created") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(detail, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!);
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM staff.webhook_subscriptions"));
    }

    [Fact]
    public async Task Subscriptions_are_the_admins_and_their_secret_is_shown_once()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);
        var body = new JsonObject { ["url"] = "https://receiver.example/hook", ["events"] = new JsonArray("review.created") };
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Post, "/webhooks/subscriptions", StaffClient.Token(StaffRoles.Moderator), body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/webhooks/subscriptions", null)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.SendAsync(HttpMethod.Post, "/webhooks/subscriptions", admin,
            new JsonObject { ["url"] = "https://receiver.example/hook", ["events"] = new JsonArray("review.liked") })).StatusCode);

        var created = await (await api.SendAsync(HttpMethod.Post, "/webhooks/subscriptions", admin, body)).JsonAsync();
        Assert.StartsWith("whsec_", (string)created["secret"]!);
        var list = await (await api.SendAsync(HttpMethod.Get, "/webhooks/subscriptions", admin)).JsonAsync();
        Assert.Equal("https://receiver.example/hook", (string)list[0]!["url"]!);
        Assert.DoesNotContain("whsec_", list.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/webhooks/subscriptions/{created["id"]}", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"/webhooks/subscriptions/{created["id"]}", admin)).StatusCode);
    }

    [Fact]
    public async Task A_name_that_resolves_to_this_machine_is_refused_when_connecting()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            Reviews.Webhooks.OutboundAddresses.ConnectAsync(new DnsEndPoint("localhost", 9), allowInternal: false, CancellationToken.None).AsTask());
        Assert.Contains("internal addresses only", refused.Message);
        Assert.True(Reviews.Webhooks.OutboundAddresses.IsInternal(IPAddress.Parse("::ffff:192.168.1.1")));
        Assert.True(Reviews.Webhooks.OutboundAddresses.IsInternal(IPAddress.Parse("172.31.255.255")));
        Assert.False(Reviews.Webhooks.OutboundAddresses.IsInternal(IPAddress.Parse("172.32.0.1")));
        Assert.False(Reviews.Webhooks.OutboundAddresses.IsInternal(IPAddress.Parse("93.184.216.34")));
    }

    [Fact]
    public async Task The_receiver_down_for_30_seconds_under_writes_gets_every_event_after_it_returns()
    {
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), Fast);
        receiver.Secret = await SubscribeAsync(api, admin, receiver.Url, "review.created");

        var written = new List<long>();
        var clock = Stopwatch.StartNew();
        bool down = false, up = false;
        while (clock.Elapsed < TimeSpan.FromSeconds(40)) // writes for 40 s; the receiver down from 5 s to 35 s
        {
            if (!down && clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                await receiver.StopAsync();
                down = true;
            }
            if (down && !up && clock.Elapsed > TimeSpan.FromSeconds(35))
            {
                await receiver.StartAsync();
                up = true;
            }
            written.Add(await PostAsync(api.Client));
            await Task.Delay(50);
        }
        Assert.DoesNotContain(0L, written);
        await Wait.UntilAsync(() => receiver.Counts().Distinct == written.Count, "every event delivered", TimeSpan.FromSeconds(60));
        Print("receiver down 30 s", written.Count, receiver);
        Assert.Equal(written.Order(), receiver.Received.Select(d => d.ReviewId).Distinct().Order());
        Assert.All(receiver.Received, d => Assert.True(d.SignatureValid));
        Assert.Equal(0, receiver.Counts().Duplicates);
    }

    [Fact]
    public async Task A_slow_receiver_keeps_no_write_waiting()
    {
        await using var receiver = new WebhookReceiver { Delay = TimeSpan.FromSeconds(5) };
        await receiver.StartAsync();
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), [.. Fast, ("Reviews:Webhooks:TimeoutSeconds", "10")]);
        receiver.Secret = await SubscribeAsync(api, admin, receiver.Url, "review.created");

        var clock = Stopwatch.StartNew();
        var written = new List<long>();
        for (var i = 0; i < 20; i++)
            written.Add(await PostAsync(api.Client));
        var writing = clock.Elapsed;
        // Every write was answered while its event was still on its way (each answer takes the receiver 5 s).
        Assert.True(receiver.Counts().Distinct < written.Count, "the writes waited for the deliveries");
        await Wait.UntilAsync(() => receiver.Counts().Distinct == written.Count, "every event delivered", TimeSpan.FromSeconds(60));
        output.WriteLine($"slow receiver (5 s an answer): 20 POSTs answered in {writing.TotalMilliseconds:0} ms in all");
        Print("slow receiver", written.Count, receiver);
        Assert.Equal(0, receiver.Counts().Duplicates);
    }

    [Fact]
    public async Task An_instance_killed_in_the_middle_of_deliveries_leaves_them_to_another()
    {
        await using var receiver = new WebhookReceiver { Delay = TimeSpan.FromSeconds(2) };
        await receiver.StartAsync();
        var database = await NewSeededDatabaseAsync();
        await using (var setup = await ApiServer.StartAsync(database, [.. Fast, ("Reviews:Webhooks:Enabled", "false")]))
            receiver.Secret = await SubscribeAsync(setup, admin, receiver.Url, "review.created");

        // Instance A: a process of its own, killed with SIGKILL while it holds deliveries.
        var port = new WebhookReceiver().Url.Split(':')[2].Split('/')[0];
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "reviews")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ConnectionStrings__Reviews"] = database;
        start.Environment["Reviews__Traffic__PermitsPerSecond"] = "0";
        foreach (var (key, value) in Fast)
            start.Environment[key.Replace(":", "__")] = value;
        using var a = Process.Start(start)!;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Wait.UntilAsync(async () => { try { return (await client.GetAsync("/health")).IsSuccessStatusCode; } catch (HttpRequestException) { return false; } },
            "instance A to serve", TimeSpan.FromSeconds(30));
        var written = new List<long>();
        for (var i = 0; i < 20; i++)
            written.Add(await PostAsync(client));
        await Wait.UntilAsync(() => receiver.InFlight > 0, "A to be sending");
        a.Kill(); // SIGKILL
        await a.WaitForExitAsync();
        var beforeB = receiver.Counts().Distinct;

        // Instance B delivers what A held (once A's lease has run out) and what it had not taken.
        await using var b = await ApiServer.StartAsync(database, Fast);
        await Wait.UntilAsync(() => receiver.Counts().Distinct == written.Count, "every event delivered", TimeSpan.FromSeconds(60));
        output.WriteLine($"instance killed: {beforeB} delivered before, the rest by the other instance");
        Print("instance killed (kill -9)", written.Count, receiver);
        Assert.Equal(written.Order(), receiver.Received.Select(d => d.ReviewId).Distinct().Order());
        // A second delivery only of what A was sending when it died (the batch it held at most).
        Assert.InRange(receiver.Counts().Duplicates, 0, 32);
    }

    [Fact]
    public async Task The_database_cut_off_under_writes_loses_no_event()
    {
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        var database = await NewSeededDatabaseAsync();
        await using var relay = new TcpRelay(new NpgsqlConnectionStringBuilder(database).Port);
        var throughRelay = new NpgsqlConnectionStringBuilder(database) { Port = relay.Port, Timeout = 2 }.ConnectionString;
        await using var api = await ApiServer.StartAsync(throughRelay, Fast);
        receiver.Secret = await SubscribeAsync(api, admin, receiver.Url, "review.created");

        var written = new List<long>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15)) // the database away from 4 s to 9 s
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(4) && clock.Elapsed < TimeSpan.FromSeconds(9))
                relay.Cut();
            else
                relay.Restore();
            if (await PostAsync(api.Client) is var id and > 0)
                written.Add(id); // only the acknowledged writes have events
            await Task.Delay(50);
        }
        relay.Restore();
        await Wait.UntilAsync(() => receiver.Counts().Distinct == written.Count, "every acknowledged write's event delivered", TimeSpan.FromSeconds(60));
        var events = await PostgresFixture.ScalarAsync<long>(database, "SELECT count(*) FROM staff.webhook_events");
        Print("database cut off 5 s", written.Count, receiver);
        Assert.Equal(written.Count, events);
        Assert.Equal(written.Order(), receiver.Received.Select(d => d.ReviewId).Distinct().Order());
    }

    [Fact]
    public async Task A_receiver_that_never_answers_2xx_ends_in_the_dead_letters_and_a_replay_delivers()
    {
        await using var receiver = new WebhookReceiver();
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), [.. Fast, ("Reviews:Webhooks:BackoffScale", "0.00002")]);
        receiver.Secret = await SubscribeAsync(api, admin, receiver.Url, "review.created");
        var id = await PostAsync(api.Client); // the receiver is not up: every attempt refused

        JsonArray dead = [];
        await Wait.UntilAsync(async () => (dead = (await (await api.SendAsync(HttpMethod.Get, "/webhooks/deliveries", admin)).JsonAsync()).AsArray()).Count == 1,
            "the delivery given up", TimeSpan.FromSeconds(30));
        Assert.Equal(Reviews.Webhooks.RetrySchedule.MaxAttempts, (int)dead[0]!["attempts"]!);
        Assert.True(Reviews.Webhooks.RetrySchedule.Total >= TimeSpan.FromHours(24));

        await receiver.StartAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Post, $"/webhooks/deliveries/{dead[0]!["id"]}/replay", admin)).StatusCode);
        await Wait.UntilAsync(() => receiver.Counts().Distinct == 1, "the replayed delivery");
        Assert.Equal(id, receiver.Received.Single().ReviewId);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Post, $"/webhooks/deliveries/{dead[0]!["id"]}/replay", admin)).StatusCode);
    }
}
