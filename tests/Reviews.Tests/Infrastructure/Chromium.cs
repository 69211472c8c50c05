using Microsoft.Playwright;

namespace Reviews.Tests.Infrastructure;

/// <summary>Debian's headless Chromium for the page tests, started without calling out anywhere.</summary>
public static class Chromium
{
    const string Executable = "/usr/bin/chromium";

    /// <summary>CI installs Chromium and must run the page tests; a machine without it (a plain `dotnet test`) skips them, saying so.</summary>
    public static void SkipIfMissing() =>
        Skip.IfNot(File.Exists(Executable) || Environment.GetEnvironmentVariable("CI") == "true",
            $"no browser at {Executable} (Debian: apt-get install chromium)");

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Executable,
        // Root in a container needs --no-sandbox; the rest keep Chromium from calling out to Google.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
}
