using Brokkr.Auth;
using Brokkr.Auth.Authentication;
using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Errors;
using Mediator;

namespace Brokkr.Host.Jobs;

/// <summary>
/// <c>/admin/jobs</c>: the jobs dashboard for people, server-rendered. An admin PAK as
/// <c>Authorization: Bearer</c>, or the sign-in form, whose cookie is read for these pages only. The
/// buttons are form posts to <c>/admin/jobs/{key}/run|pause|resume</c>, which do what the JSON API's
/// actions do (the same <see cref="JobsBoard"/> calls, audited alike); the JSON API itself never takes
/// the cookie, so it needs no cross-site defence of its own.
/// </summary>
internal static class AdminPage
{
    public const string Path = "/admin/jobs";

    /// <summary>How long "Run now" waits for the run to finish, so the page that follows shows its outcome.</summary>
    private static readonly TimeSpan RunWait = TimeSpan.FromSeconds(10);

    private static readonly object UnreadableForm = new();

    public static void MapBrokkrJobsPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin", () => Results.Redirect(Path)).ExcludeFromDescription();
        app.MapGet(Path, ShowAsync).ExcludeFromDescription();
        app.MapPost(Path + "/sign-in", SignInAsync).ExcludeFromDescription();
        app.MapPost(Path + "/sign-out", SignOutAsync).ExcludeFromDescription();
        app.MapPost(Path + "/{key}/{action:regex(^(run|pause|resume)$)}", ActAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> ShowAsync(HttpContext context, JobsBoard board, ScheduledJobs jobs, TimeProvider clock, string? notice, string? job, CancellationToken ct)
    {
        var caller = context.Features.Get<Caller>();
        if (caller is null)
        {
            if (context.PakWasRejected())
            {
                AdminForms.SignOut(context);
                return Html(AdminPageHtml.SignIn(AdminForms.SignInToken(context), "That PAK was not accepted. Sign in again."), 401);
            }

            return Html(AdminPageHtml.SignIn(AdminForms.SignInToken(context), null));
        }

        var token = AdminForms.SessionToken(AdminForms.Credential(context)!);
        if (!caller.IsAdmin)
        {
            return Html(AdminPageHtml.Message("Admin PAK required", "This PAK belongs to an agent or a generator; the jobs dashboard needs an admin PAK.", token), 403);
        }

        var text = job is not null && jobs.Find(job) is not null ? Notice(notice, job) : notice == "signed-in" ? "Signed in." : null;
        var list = await board.ListAsync(ct);
        if (notice == "ran" && list.FirstOrDefault(j => j.Key == job) is { } ran)
        {
            text = ran.LastOutcome is null ? text : $"{ran.Key} ran: {ran.LastOutcome}{(ran.LastMessage is { Length: > 0 } m ? " — " + m : string.Empty)}";
        }

        return Html(AdminPageHtml.Dashboard(list, await board.InstanceIdAsync(ct), board.SchedulerEnabled, token, text, noticeIsError: false, clock.GetUtcNow().UtcDateTime));
    }

    private static async Task<IResult> SignInAsync(HttpContext context, PakAuthenticator authenticator, IPublisher publisher, CancellationToken ct)
    {
        if (await ReadFormAsync(context, ct) is not { } form)
        {
            return NotAForm(context);
        }

        if (!AdminForms.SignInTokenIsValid(context, form))
        {
            return Html(AdminPageHtml.SignIn(AdminForms.SignInToken(context), "The form expired. Try again."), 403);
        }

        var pak = form["pak"].ToString().Trim();
        if (pak.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            pak = pak[7..].Trim();
        }

        var caller = pak.Length is > 0 and <= 200 ? await authenticator.AuthenticateAsync(pak, ct) : null;
        if (caller is null)
        {
            await publisher.Publish(new AuditEntry("system", null, "auth.failed", "system", null,
                new Dictionary<string, object?> { ["reason"] = "invalid_pak", ["path"] = context.Request.Path.Value },
                context.Connection.RemoteIpAddress?.ToString(), Clip(context.Request.Headers.UserAgent.ToString(), 512)), ct);
            return Html(AdminPageHtml.SignIn(AdminForms.SignInToken(context), "That PAK was not accepted."), 401);
        }

        if (!caller.IsAdmin)
        {
            return Html(AdminPageHtml.SignIn(AdminForms.SignInToken(context), "That is not an admin PAK: the jobs dashboard needs an admin PAK."), 403);
        }

        AdminForms.SignIn(context, pak);
        return SeeOther(Path + "?notice=signed-in");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, CancellationToken ct)
    {
        if (await ReadFormAsync(context, ct) is not { } form)
        {
            return NotAForm(context);
        }

        if (context.Features.Get<Caller>() is not null && !AdminForms.SessionTokenIsValid(context, form))
        {
            return Html(AdminPageHtml.Message("The form expired", "Reload the page and try again.", null), 403);
        }

        AdminForms.SignOut(context);
        return SeeOther(Path);
    }

    private static async Task<IResult> ActAsync(HttpContext context, string key, string action, JobsBoard board, IPublisher publisher, TimeProvider clock, CancellationToken ct)
    {
        if (await ReadFormAsync(context, ct) is not { } form)
        {
            return NotAForm(context);
        }

        var caller = context.Features.Get<Caller>();
        if (caller is null)
        {
            return Html(AdminPageHtml.SignIn(AdminForms.SignInToken(context), "Sign in first."), 401);
        }

        if (!AdminForms.SessionTokenIsValid(context, form))
        {
            return Html(AdminPageHtml.Message("The form expired", "Reload the page and try again.", null), 403);
        }

        if (!caller.IsAdmin)
        {
            return Html(AdminPageHtml.Message("Admin PAK required", "The jobs dashboard needs an admin PAK.", AdminForms.SessionToken(AdminForms.Credential(context)!)), 403);
        }

        try
        {
            switch (action)
            {
                case "run":
                    var before = clock.GetUtcNow().UtcDateTime.AddSeconds(-1);
                    await board.RunNowAsync(key, ct);
                    await JobsApi.AuditAsync(publisher, caller, "job.triggered", key, ct);
                    await WaitForRunAsync(board, key, before, clock, ct);
                    return SeeOther($"{Path}?notice=ran&job={Uri.EscapeDataString(key)}");
                case "pause":
                    await board.PauseAsync(key, ct);
                    await JobsApi.AuditAsync(publisher, caller, "job.paused", key, ct);
                    return SeeOther($"{Path}?notice=paused&job={Uri.EscapeDataString(key)}");
                default:
                    await board.ResumeAsync(key, ct);
                    await JobsApi.AuditAsync(publisher, caller, "job.resumed", key, ct);
                    return SeeOther($"{Path}?notice=resumed&job={Uri.EscapeDataString(key)}");
            }
        }
        catch (ApiException ex) when (ex.Status is 404 or 409)
        {
            return Html(AdminPageHtml.Message("Not done", ex.Message, null), ex.Status);
        }
    }

    private static async Task WaitForRunAsync(JobsBoard board, string key, DateTime since, TimeProvider clock, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + RunWait;
        while (clock.GetUtcNow() < deadline)
        {
            var job = await board.GetAsync(key, ct);
            if (job.LastRunAt >= since && job.LastRunManual == true)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    private static string? Notice(string? notice, string job) => notice switch
    {
        "ran" => $"{job} was started; it has not finished yet. Refresh to see its outcome.",
        "paused" => $"{job} is paused.",
        "resumed" => $"{job} is resumed.",
        _ => null,
    };

    /// <summary>
    /// The posted form, or null when the body is not a readable form (a 4xx, never a 5xx): another
    /// content type, or a value the form decoder refuses, such as an encoded NUL character.
    /// </summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context, CancellationToken ct)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            context.Items[UnreadableForm] = true;
            return null;
        }
    }

    private static IResult NotAForm(HttpContext context)
        => context.Items.ContainsKey(UnreadableForm)
            ? Html(AdminPageHtml.Message("Unreadable form", "The form holds characters these pages do not accept.", null), StatusCodes.Status400BadRequest)
            : Html(AdminPageHtml.Message("Not a form", "These pages accept only their own forms.", null), StatusCodes.Status415UnsupportedMediaType);

    private static IResult SeeOther(string location) => new SeeOtherResult(location);

    private static IResult Html(string html, int status = 200) => new PageResult(html, status);

    private static string? Clip(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            httpContext.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }
    }

    /// <summary>The page with headers that keep it from being framed, cached, or made to load anything.</summary>
    private sealed class PageResult(string html, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.XContentTypeOptions = "nosniff";
            // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on the form posts, which the cross-site check refuses.
            response.Headers["Referrer-Policy"] = "same-origin";
            await response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
