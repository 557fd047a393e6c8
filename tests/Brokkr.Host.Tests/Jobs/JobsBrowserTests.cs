using Brokkr.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Brokkr.Host.Tests.Jobs;

/// <summary>
/// The jobs dashboard in a real browser: Debian's Chromium driven by Playwright (never a browser
/// Playwright downloads), against a real broker on a loopback port with its scheduler running.
/// </summary>
public sealed class JobsBrowserTests(ITestOutputHelper log) : IAsyncLifetime
{
    /// <summary>Chromium from the distribution; eng/test installs it (apt-get install chromium) when it is missing.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("BROKKR_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private string _database = string.Empty;
    private KestrelBroker? _broker;

    public async Task InitializeAsync()
    {
        _database = await BrokkrApiFactory.CreateMigratedDatabaseAsync();
        _broker = await KestrelBroker.StartAsync(_database, new Dictionary<string, string> { ["Jobs:enabled"] = "true" });
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        await TestDatabase.DropAsync(_database);
    }

    [Fact]
    public async Task Given_a_browser_then_an_admin_signs_in_runs_a_job_and_pauses_and_resumes_another()
    {
        File.Exists(ChromiumPath).ShouldBeTrue($"Chromium is required for this test and is not at {ChromiumPath}: install it with 'apt-get install -y chromium' (eng/test does) or set BROKKR_CHROMIUM.");
        // What Playwright needs at run time, copied next to the tests by its package: its Node.js and its driver.
        var driver = Path.Combine(AppContext.BaseDirectory, ".playwright");
        Directory.Exists(Path.Combine(driver, "package")).ShouldBeTrue($"the Playwright driver is missing from {driver}");
        Directory.Exists(Path.Combine(driver, "node")).ShouldBeTrue($"Playwright's Node.js is missing from {driver}");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumFlags,
            Timeout = 60_000,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1480, Height = 760 }, BaseURL = _broker!.Address.ToString() });
        page.SetDefaultTimeout(20_000);
        SetDefaultExpectTimeout(20_000);

        await page.GotoAsync("/admin/jobs");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("Admin PAK").FillAsync(BrokkrApiFactory.AdminPak.Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var audit = page.Locator("tr[data-job='audit-log-cleanup']");
        var events = page.Locator("tr[data-job='agent-events-cleanup']");
        await Expect(audit).ToBeVisibleAsync();
        await Expect(events).ToBeVisibleAsync();
        await Expect(events.Locator(".schedule")).ToHaveTextAsync("every 1 h");
        await Expect(audit.Locator(".state")).ToContainTextAsync("normal");

        await audit.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("audit-log-cleanup ran: ok");
        await Expect(audit.Locator(".last-outcome")).ToHaveTextAsync("ok");
        await Expect(audit.Locator(".last-run")).ToContainTextAsync("by hand");
        await Expect(audit.Locator(".last-message")).ToContainTextAsync("Deleted 0 audit log entries");

        await events.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(events.Locator(".state")).ToHaveTextAsync("paused");
        await Expect(events.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        (await JobsWire.JobAsync(_broker.Admin(), "agent-events-cleanup"))["state"]!.GetValue<string>().ShouldBe("paused");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "jobs-dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        log.WriteLine($"Screenshot of the jobs dashboard: {screenshot}");

        await events.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(events.Locator(".state")).ToHaveTextAsync("normal");
        await Expect(events.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeVisibleAsync();
        (await JobsWire.JobAsync(_broker.Admin(), "agent-events-cleanup"))["state"]!.GetValue<string>().ShouldBe("normal");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }
}
