using Microsoft.Playwright;

namespace Reviews.Tests.Api;

/// <summary>/docs in a real headless Chromium (Debian's): the page loads offline and a person can send a request from it.</summary>
public sealed class DocsPageTests(PostgresFixture postgres) : SeededApiTest(postgres)
{
    [SkippableFact]
    public async Task A_request_sent_from_the_docs_page_gets_the_services_answer()
    {
        Chromium.SkipIfMissing();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var offsite = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(Api.Client.BaseAddress!.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                offsite.Add(request.Url);
        };

        await page.GotoAsync(new Uri(Api.Client.BaseAddress!, "/docs").ToString(), new() { WaitUntil = WaitUntilState.NetworkIdle });
        await page.GetByRole(AriaRole.Button, new() { Name = "Test Request (get /reviews)" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        // The parameter grid is pairs of editable cells: a name, then its value.
        var cells = dialog.Locator("[contenteditable=true]");
        var texts = await cells.AllInnerTextsAsync();
        await cells.Nth(texts.ToList().IndexOf("product_id") + 1).FillAsync("1");
        var response = await page.RunAndWaitForResponseAsync(
            () => dialog.GetByRole(AriaRole.Button, new() { Name = "Send" }).First.ClickAsync(),
            r => r.Url.Contains("/reviews?product_id=1", StringComparison.Ordinal));

        Assert.Equal(200, response.Status);
        Assert.Equal(await Api.Client.GetStringAsync("/reviews?product_id=1&page=1&count=5&sort=relevant"), await response.TextAsync());
        await Assertions.Expect(dialog).ToContainTextAsync("200 OK");
        Assert.Empty(offsite);
    }
}
