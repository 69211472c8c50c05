using Microsoft.Playwright;
using Reviews.Staff;

namespace Reviews.Tests.Staff;

/// <summary>/moderation in a real headless Chromium: sign in with a token, find a shopper's report, restore it.</summary>
public sealed class ModerationPageTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    [SkippableFact]
    public async Task A_report_appears_in_the_queue_and_is_restored_from_the_page()
    {
        Chromium.SkipIfMissing();
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);
        var list = await api.Client.GetStringAsync("/reviews?product_id=2");
        var meta = await api.Client.GetStringAsync("/reviews/meta?product_id=2");
        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.PutAsync("/reviews/8/report", null)).StatusCode);
        Assert.NotEqual(meta, await api.Client.GetStringAsync("/reviews/meta?product_id=2"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var offsite = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(api.Client.BaseAddress!.ToString(), StringComparison.Ordinal))
                offsite.Add(request.Url);
        };
        await page.GotoAsync(new Uri(api.Client.BaseAddress!, "/moderation").ToString());

        // Without a token, the page says why it shows nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("401");

        await page.GetByLabel("Token").FillAsync(StaffClient.Token(StaffRoles.Moderator));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var review = page.Locator("article[data-review-id='8']");
        await Assertions.Expect(review).ToContainTextAsync("by n3");
        await review.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Published review 8");
        await Assertions.Expect(review).ToHaveCountAsync(0);

        Assert.Equal(list, await api.Client.GetStringAsync("/reviews?product_id=2"));
        Assert.Equal(meta, await api.Client.GetStringAsync("/reviews/meta?product_id=2"));
        Assert.Empty(offsite);
    }
}
