using System.Net;
using System.Text.RegularExpressions;
using Brokkr.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Brokkr.Host.Tests.Jobs;

/// <summary>The dashboard page over HTTP: sign-in, the cookie's scope and flags, the form tokens, identities.</summary>
public sealed partial class JobsPageTests(JobsFactory api) : IClassFixture<JobsFactory>
{
    private const string Page = "/admin/jobs";

    private HttpClient Browser() => api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Given_no_credentials_then_the_page_shows_the_sign_in_form_with_a_token()
    {
        var response = await Browser().GetAsync(Page);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("action=\"/admin/jobs/sign-in\"");
        html.ShouldContain("name=\"pak\"");
        html.ShouldNotContain("audit-log-cleanup");
        Token(html).ShouldNotBeNullOrEmpty();
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("brokkr_admin_csrf=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=strict", Case.Insensitive);
        cookie.ShouldContain("path=/admin", Case.Insensitive);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'none'");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Given_the_admin_pak_in_the_form_then_a_scoped_strict_http_only_cookie_signs_in()
    {
        var browser = Browser();

        var signIn = await SignInAsync(browser, BrokkrApiFactory.AdminPak.Value);

        signIn.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        signIn.Headers.Location!.ToString().ShouldStartWith("/admin/jobs");
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("brokkr_admin_pak=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=strict", Case.Insensitive);
        cookie.ShouldContain("path=/admin", Case.Insensitive);
        cookie.ShouldNotContain("secure", Case.Insensitive); // plain HTTP here; over HTTPS the cookie is Secure
        var page = await browser.GetAsync(Page);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("data-job=\"audit-log-cleanup\"");
        html.ShouldContain("data-job=\"agent-events-cleanup\"");
        html.ShouldContain("every 1 h");
        html.ShouldContain("Run now");
        html.ShouldContain("Sign out");
    }

    [Fact]
    public async Task Given_a_signed_in_form_post_then_it_needs_the_page_token()
    {
        var browser = Browser();
        await SignInAsync(browser, BrokkrApiFactory.AdminPak.Value);
        var token = Token(await browser.GetStringAsync(Page))!;

        var withoutToken = await browser.PostAsync($"{Page}/agent-events-cleanup/pause", Form());
        var wrongToken = await browser.PostAsync($"{Page}/agent-events-cleanup/pause", Form(("csrf", token[..^2] + "xx")));
        var crossSite = new HttpRequestMessage(HttpMethod.Post, $"{Page}/agent-events-cleanup/pause") { Content = Form(("csrf", token)) };
        crossSite.Headers.Add("Origin", "https://evil.example");
        var fromElsewhere = await browser.SendAsync(crossSite);

        withoutToken.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        wrongToken.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        fromElsewhere.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await JobsWire.JobAsync(api.Admin(), "agent-events-cleanup"))["state"]!.GetValue<string>().ShouldBe("normal");

        var paused = await browser.PostAsync($"{Page}/agent-events-cleanup/pause", Form(("csrf", token)));
        paused.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        (await JobsWire.JobAsync(api.Admin(), "agent-events-cleanup"))["state"]!.GetValue<string>().ShouldBe("paused");
        (await browser.GetStringAsync(Page)).ShouldContain("Resume");
        var resumed = await browser.PostAsync($"{Page}/agent-events-cleanup/resume", Form(("csrf", token)));
        resumed.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        (await JobsWire.JobAsync(api.Admin(), "agent-events-cleanup"))["state"]!.GetValue<string>().ShouldBe("normal");
    }

    [Fact]
    public async Task Given_a_sign_in_post_without_its_token_or_from_another_site_then_it_is_refused()
    {
        var browser = Browser();
        var token = Token(await browser.GetStringAsync(Page))!;

        var withoutToken = await browser.PostAsync($"{Page}/sign-in", Form(("pak", BrokkrApiFactory.AdminPak.Value)));
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Page}/sign-in") { Content = Form(("pak", BrokkrApiFactory.AdminPak.Value), ("csrf", token)) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        var crossSite = await browser.SendAsync(request);

        withoutToken.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        crossSite.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var refused in new[] { withoutToken, crossSite })
        {
            refused.Headers.TryGetValues("Set-Cookie", out var cookies);
            (cookies ?? []).ShouldNotContain(c => c.StartsWith("brokkr_admin_pak=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Given_a_non_admin_or_unknown_pak_then_sign_in_and_the_page_are_refused()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync();

        var asGenerator = await SignInAsync(Browser(), generator.Pak);
        var asUnknown = await SignInAsync(Browser(), "brokkr_BR123456_notAKnownKey");
        var bearerAgent = await api.WithPak(agent.Pak).GetAsync(Page);
        var bearerAdmin = await api.Admin().GetAsync(Page);
        var forgedCookie = Browser();
        forgedCookie.DefaultRequestHeaders.Add("Cookie", "brokkr_admin_pak=brokkr_BR123456_notAKnownKey");
        var withForgedCookie = await forgedCookie.GetAsync(Page);

        asGenerator.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asGenerator.Content.ReadAsStringAsync()).ShouldContain("not an admin PAK");
        asUnknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        foreach (var refused in new[] { asGenerator, asUnknown })
        {
            refused.Headers.TryGetValues("Set-Cookie", out var cookies);
            (cookies ?? []).ShouldNotContain(c => c.StartsWith("brokkr_admin_pak=brokkr", StringComparison.Ordinal));
        }

        bearerAgent.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bearerAgent.Content.ReadAsStringAsync()).ShouldNotContain("data-job=");
        bearerAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bearerAdmin.Content.ReadAsStringAsync()).ShouldContain("data-job=\"audit-log-cleanup\"");
        withForgedCookie.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await withForgedCookie.Content.ReadAsStringAsync()).ShouldContain("name=\"pak\"");
    }

    [Fact]
    public async Task Given_sign_out_then_the_cookie_is_cleared_and_the_form_comes_back()
    {
        var browser = Browser();
        await SignInAsync(browser, BrokkrApiFactory.AdminPak.Value);
        var token = Token(await browser.GetStringAsync(Page))!;

        var signOut = await browser.PostAsync($"{Page}/sign-out", Form(("csrf", token)));

        signOut.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        signOut.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("brokkr_admin_pak=;", StringComparison.Ordinal));
        var html = await browser.GetStringAsync(Page);
        html.ShouldContain("name=\"pak\"");
        html.ShouldNotContain("data-job=");
    }

    [Fact]
    public async Task Given_run_now_on_the_page_then_the_page_that_follows_shows_the_outcome()
    {
        var browser = Browser();
        await SignInAsync(browser, BrokkrApiFactory.AdminPak.Value);
        var token = Token(await browser.GetStringAsync(Page))!;

        var run = await browser.PostAsync($"{Page}/audit-log-cleanup/run", Form(("csrf", token)));

        run.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        var html = await browser.GetStringAsync(run.Headers.Location!.ToString());
        html.ShouldContain("audit-log-cleanup ran: ok");
        html.ShouldContain("by hand");
    }

    [Fact]
    public async Task Given_bad_input_to_the_forms_then_the_answer_is_a_4xx_and_nothing_is_reflected_unescaped()
    {
        var browser = Browser();
        await SignInAsync(browser, BrokkrApiFactory.AdminPak.Value);
        var token = Token(await browser.GetStringAsync(Page))!;

        var json = await browser.PostJsonAsync($"{Page}/sign-in", new { pak = BrokkrApiFactory.AdminPak.Value });
        var jsonAction = await browser.PostJsonAsync($"{Page}/audit-log-cleanup/pause", new { csrf = token });
        var unknown = await browser.PostAsync($"{Page}/{Uri.EscapeDataString("<script>x</script>")}/run", Form(("csrf", token)));
        var longKey = await browser.PostAsync($"{Page}/{new string('k', 5000)}/pause", Form(("csrf", token)));
        var otherAction = await browser.PostAsync($"{Page}/audit-log-cleanup/delete", Form(("csrf", token)));
        var fresh = Browser();
        var signInToken = Token(await fresh.GetStringAsync(Page))!;
        var nul = await fresh.PostAsync($"{Page}/sign-in", Form(("pak", "brokkr_BR\0\0\0\0\0\0_x'; DROP TABLE admin_role; --"), ("csrf", signInToken)));

        json.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        jsonAction.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var html = await unknown.Content.ReadAsStringAsync();
        html.ShouldNotContain("<script>");
        html.ShouldContain("No maintenance job");
        longKey.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        otherAction.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        nul.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JobsWire.JobAsync(api.Admin(), "audit-log-cleanup"))["state"]!.GetValue<string>().ShouldBe("normal");
    }

    [Fact]
    public async Task Given_the_page_then_it_is_not_in_the_openapi_document()
    {
        var document = await api.Anonymous().GetStringAsync("/docs/openapi.json");

        document.ShouldNotContain("sign-in");
        document.ShouldNotContain("\"/admin/jobs/{key}/{action}\"");
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string pak)
    {
        var token = Token(await browser.GetStringAsync(Page))!;
        return await browser.PostAsync($"{Page}/sign-in", Form(("pak", pak), ("csrf", token)));
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields)
        => new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static string? Token(string html) => TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
