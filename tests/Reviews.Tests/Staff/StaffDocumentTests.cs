using Reviews.Staff;

namespace Reviews.Tests.Staff;

/// <summary>The staff endpoints in /openapi/v1.json: their security scheme, and real answers checked against their schemas.</summary>
public sealed class StaffDocumentTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [Fact]
    public async Task Staff_answers_and_refusals_match_the_document()
    {
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);
        var openApi = await OpenApiConformance.LoadAsync(api.Client);
        var document = openApi.Document;
        Assert.Equal("http", (string)document["components"]!["securitySchemes"]![StaffDocument.Scheme]!["type"]!);
        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]![StaffDocument.Scheme]!["scheme"]!);
        Assert.NotNull(document["paths"]!["/moderation/reviews"]!["get"]!["security"]);
        Assert.Null(document["paths"]!["/reviews"]!["get"]!["security"]);

        var moderator = StaffClient.Token(StaffRoles.Moderator);
        var privacy = StaffClient.Token(StaffRoles.Privacy);
        var admin = StaffClient.Token(StaffRoles.Admin);
        await api.Client.PutAsync("/reviews/7/report", null);
        foreach (var (method, url, path, token, body) in new (HttpMethod, string, string, string?, JsonNode?)[]
        {
            (HttpMethod.Get, "/moderation/reviews?state=reported", "/moderation/reviews", moderator, null),
            (HttpMethod.Get, "/moderation/reviews?state=nope", "/moderation/reviews", moderator, null),
            (HttpMethod.Get, "/moderation/reviews", "/moderation/reviews", null, null),
            (HttpMethod.Get, "/moderation/reviews", "/moderation/reviews", privacy, null),
            (HttpMethod.Post, "/moderation/reviews/7/publish", "/moderation/reviews/{review_id}/publish", moderator, null),
            (HttpMethod.Post, "/moderation/reviews/424242/remove", "/moderation/reviews/{review_id}/remove", moderator, null),
            (HttpMethod.Put, "/moderation/reviews/7/response", "/moderation/reviews/{review_id}/response", moderator, new JsonObject { ["response"] = "Thanks!" }),
            (HttpMethod.Put, "/moderation/reviews/7/response", "/moderation/reviews/{review_id}/response", moderator, new JsonObject { ["response"] = 1 }),
            (HttpMethod.Get, "/moderation/audit?review_id=7", "/moderation/audit", moderator, null),
            (HttpMethod.Get, "/privacy/reviews?email=n2@example.com", "/privacy/reviews", privacy, null),
            (HttpMethod.Get, "/privacy/reviews", "/privacy/reviews", privacy, null),
            (HttpMethod.Delete, "/privacy/reviews?email=n2@example.com", "/privacy/reviews", privacy, null),
            (HttpMethod.Delete, "/privacy/reviews?email=n2@example.com", "/privacy/reviews", "bad", null),
            (HttpMethod.Post, "/webhooks/subscriptions", "/webhooks/subscriptions", admin,
                new JsonObject { ["url"] = "https://receiver.example/hook", ["events"] = new JsonArray("review.created") }),
            (HttpMethod.Post, "/webhooks/subscriptions", "/webhooks/subscriptions", admin,
                new JsonObject { ["url"] = "https://127.0.0.1/hook", ["events"] = new JsonArray("review.created") }),
            (HttpMethod.Get, "/webhooks/subscriptions", "/webhooks/subscriptions", admin, null),
            (HttpMethod.Get, "/webhooks/subscriptions", "/webhooks/subscriptions", moderator, null),
            (HttpMethod.Delete, "/webhooks/subscriptions/424242", "/webhooks/subscriptions/{id}", admin, null),
            (HttpMethod.Get, "/webhooks/deliveries", "/webhooks/deliveries", admin, null),
            (HttpMethod.Post, "/webhooks/deliveries/424242/replay", "/webhooks/deliveries/{id}/replay", admin, null),
        })
            await openApi.Conforms(await api.SendAsync(method, url, token, body), path, method.Method.ToLowerInvariant());
    }
}
