using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Brokkr.Host.Jobs;

/// <summary>The jobs dashboard's HTML: one self-contained page (inline CSS, no script, no external asset).</summary>
internal static class AdminPageHtml
{
    private const string Styles = """
        :root { color-scheme: light; --ink:#1d2430; --muted:#5b6575; --line:#dfe3ea; --bg:#f4f6f9; --card:#fff;
                --accent:#1f5fbf; --ok:#17703a; --ok-bg:#e3f4e8; --err:#b3261e; --err-bg:#fbe6e4; --warn:#8a5a00; --warn-bg:#fdf1d6; }
        * { box-sizing: border-box; }
        body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color:var(--ink); background:var(--bg); }
        header { background:#18202c; color:#fff; padding:14px 28px; display:flex; align-items:center; gap:16px; }
        header h1 { font-size:18px; margin:0; font-weight:600; letter-spacing:.2px; }
        header .sub { color:#aab4c3; font-size:13px; }
        header .spacer { flex:1; }
        header form { margin:0; }
        main { max-width:1440px; margin:24px auto; padding:0 24px; }
        .card { overflow-x:auto; background:var(--card); border:1px solid var(--line); border-radius:10px; box-shadow:0 1px 2px rgba(16,24,40,.04); }
        .notice { padding:10px 14px; margin-bottom:16px; border-radius:8px; background:#e8f0fc; border:1px solid #c9daf6; }
        .notice.error { background:var(--err-bg); border-color:#f2c4bf; }
        table { width:100%; border-collapse:collapse; }
        th, td { text-align:left; padding:12px 14px; border-bottom:1px solid var(--line); vertical-align:top; }
        th { font-size:12px; text-transform:uppercase; letter-spacing:.5px; color:var(--muted); font-weight:600; background:#fafbfc; }
        tr:last-child td { border-bottom:none; }
        .key { font-weight:600; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:14px; }
        .desc { color:var(--muted); font-size:13px; max-width:300px; margin-top:2px; }
        time, .nowrap, .key { white-space:nowrap; }
        td.last-run { min-width:260px; }
        .muted { color:var(--muted); font-size:13px; }
        .msg { color:var(--muted); font-size:13px; max-width:340px; margin-top:4px; overflow-wrap:anywhere; }
        .badge { display:inline-block; padding:2px 9px; border-radius:999px; font-size:12px; font-weight:600; }
        .b-normal { background:#e8eef8; color:#28508f; } .b-paused { background:var(--warn-bg); color:var(--warn); }
        .b-ok { background:var(--ok-bg); color:var(--ok); } .b-error { background:var(--err-bg); color:var(--err); }
        .b-running { background:#e9e4fb; color:#4b2fa3; } .b-none { background:#eef0f3; color:var(--muted); }
        .actions { white-space:nowrap; } .actions form { display:inline; margin:0; }
        button { font:inherit; font-size:13px; padding:6px 12px; border-radius:7px; border:1px solid var(--line); background:#fff; color:var(--ink); cursor:pointer; }
        button:hover { background:#f1f4f8; }
        button.primary { background:var(--accent); border-color:var(--accent); color:#fff; } button.primary:hover { background:#194f9f; }
        header button { background:transparent; color:#dbe3ee; border-color:#3a4658; } header button:hover { background:#263142; }
        .signin { max-width:420px; margin:80px auto; padding:28px; }
        .signin h2 { margin:0 0 6px; font-size:20px; } .signin p { margin:0 0 18px; color:var(--muted); }
        label { display:block; font-size:13px; font-weight:600; margin-bottom:6px; }
        input[type=password] { width:100%; font:inherit; padding:9px 11px; border:1px solid #c7ced9; border-radius:7px; margin-bottom:16px; }
        .foot { margin-top:14px; color:var(--muted); font-size:12px; }
        a { color:var(--accent); }
        """;

    public static string Dashboard(IReadOnlyList<MaintenanceJob> jobs, string? instance, bool schedulerEnabled, string token, string? notice, bool noticeIsError, DateTime now)
    {
        var body = new StringBuilder();
        if (notice is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<div class=\"notice{(noticeIsError ? " error" : string.Empty)}\" role=\"status\">{E(notice)}</div>");
        }

        if (!schedulerEnabled)
        {
            body.Append("<div class=\"notice error\">The job scheduler is turned off on this broker (Jobs:enabled=false): jobs are listed but do not run here.</div>");
        }

        body.Append("<div class=\"card\"><table><thead><tr><th>Job</th><th>Schedule</th><th>State</th><th>Previous fire</th><th>Next fire</th><th>Last run</th><th>Actions</th></tr></thead><tbody>");
        foreach (var job in jobs)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr data-job=\"{E(job.Key)}\">");
            body.Append(CultureInfo.InvariantCulture, $"<td><div class=\"key\">{E(job.Key)}</div><div class=\"desc\">{E(job.Description)}</div></td>");
            body.Append(CultureInfo.InvariantCulture, $"<td class=\"schedule\">{E(job.Schedule)}</td>");
            body.Append(CultureInfo.InvariantCulture, $"<td class=\"state\"><span class=\"badge b-{(job.State is "paused" ? "paused" : job.State is "normal" ? "normal" : job.State is "error" ? "error" : "none")}\">{E(job.State)}</span>{(job.Running ? " <span class=\"badge b-running\">running</span>" : string.Empty)}</td>");
            body.Append(CultureInfo.InvariantCulture, $"<td class=\"previous-fire\">{Time(job.PreviousFireTime, now)}</td>");
            body.Append(CultureInfo.InvariantCulture, $"<td class=\"next-fire\">{(job.State == "paused" ? "<span class=\"muted\">paused</span>" : Time(job.NextFireTime, now))}</td>");
            body.Append("<td class=\"last-run\">");
            if (job.LastOutcome is null)
            {
                body.Append("<span class=\"badge b-none last-outcome\">never run</span>");
            }
            else
            {
                body.Append(CultureInfo.InvariantCulture, $"<span class=\"badge b-{job.LastOutcome} last-outcome\">{E(job.LastOutcome)}</span> <span class=\"muted\">{(job.LastRunManual == true ? "by hand" : "on schedule")} · took <span class=\"duration\">{E(Duration(job.LastDurationMs ?? 0))}</span></span>");
                body.Append(CultureInfo.InvariantCulture, $"<div class=\"muted\">{TimeInline(job.LastRunAt, now)}</div>");
                body.Append(CultureInfo.InvariantCulture, $"<div class=\"muted\">on broker <span class=\"instance\">{E(job.LastInstance ?? "?")}</span></div>");
                if (!string.IsNullOrEmpty(job.LastMessage))
                {
                    body.Append(CultureInfo.InvariantCulture, $"<div class=\"msg last-message\">{E(job.LastMessage)}</div>");
                }
            }

            body.Append("</td>");
            body.Append("<td class=\"actions\">");
            if (schedulerEnabled)
            {
                body.Append(Action(job.Key, "run", "Run now", token, primary: true));
                body.Append(' ');
                body.Append(job.State == "paused" ? Action(job.Key, "resume", "Resume", token, primary: false) : Action(job.Key, "pause", "Pause", token, primary: false));
            }

            body.Append("</td></tr>");
        }

        if (jobs.Count == 0)
        {
            body.Append("<tr><td colspan=\"7\" class=\"muted\">No maintenance jobs are registered.</td></tr>");
        }

        body.Append("</tbody></table></div>");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"foot\">Times are UTC. Shown {now:yyyy-MM-dd HH:mm:ss} UTC. <a href=\"/admin/jobs\">Refresh</a> · The same data as JSON: <code>GET /api/v1/admin/jobs</code></p>");

        var header = new StringBuilder();
        header.Append(CultureInfo.InvariantCulture, $"<span class=\"sub\">{(instance is null ? "scheduler off" : "this broker: " + E(instance))}</span>");
        header.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/admin/jobs/sign-out\"><input type=\"hidden\" name=\"{AdminForms.TokenField}\" value=\"{E(token)}\"><button type=\"submit\">Sign out</button></form>");
        return Page("Maintenance jobs", header.ToString(), body.ToString());
    }

    public static string SignIn(string token, string? error)
    {
        var body = new StringBuilder("<div class=\"card signin\"><h2>Sign in</h2><p>The jobs dashboard is for administrators. Paste an admin PAK.</p>");
        if (error is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<div class=\"notice error\" role=\"alert\">{E(error)}</div>");
        }

        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="/admin/jobs/sign-in">
            <input type="hidden" name="{AdminForms.TokenField}" value="{E(token)}">
            <label for="pak">Admin PAK</label>
            <input type="password" id="pak" name="pak" autocomplete="off" required placeholder="brokkr_BR…">
            <button type="submit" class="primary">Sign in</button>
            </form>
            <p class="foot">The key is kept in an HttpOnly cookie for this page only, for at most 12 hours.</p></div>
            """);
        return Page("Sign in", string.Empty, body.ToString());
    }

    public static string Message(string title, string message, string? signOutToken)
    {
        var form = signOutToken is null
            ? "<p class=\"foot\"><a href=\"/admin/jobs\">Back to the jobs dashboard</a></p>"
            : $"<form method=\"post\" action=\"/admin/jobs/sign-out\"><input type=\"hidden\" name=\"{AdminForms.TokenField}\" value=\"{E(signOutToken)}\"><button type=\"submit\" class=\"primary\">Sign in with another PAK</button></form>";
        return Page(title, string.Empty, $"<div class=\"card signin\"><h2>{E(title)}</h2><p>{E(message)}</p>{form}</div>");
    }

    private static string Page(string title, string header, string body) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)} · Brokkr</title><style>{Styles}</style></head>
        <body><header><h1>Brokkr · Maintenance jobs</h1><span class="spacer"></span>{header}</header>
        <main>{body}</main></body></html>
        """;

    private static string Action(string key, string action, string label, string token, bool primary)
        => $"<form method=\"post\" action=\"/admin/jobs/{Uri.EscapeDataString(key)}/{action}\"><input type=\"hidden\" name=\"{AdminForms.TokenField}\" value=\"{E(token)}\"><button type=\"submit\"{(primary ? " class=\"primary\"" : string.Empty)}>{label}</button></form>";

    private static string Time(DateTime? value, DateTime now)
    {
        if (value is not { } time)
        {
            return "<span class=\"muted\">—</span>";
        }

        var utc = DateTime.SpecifyKind(time, DateTimeKind.Utc);
        var delta = utc - now;
        var relative = Math.Abs(delta.TotalSeconds) < 1 ? "now" : delta > TimeSpan.Zero ? "in " + Span(delta) : Span(-delta) + " ago";
        return string.Create(CultureInfo.InvariantCulture, $"<time datetime=\"{utc:yyyy-MM-ddTHH:mm:ssZ}\">{utc:yyyy-MM-dd HH:mm:ss}</time><div class=\"muted nowrap\">{relative}</div>");
    }

    /// <summary>A time on one line, "2026-01-02 03:04:05 (3 min ago)", where the cell has other things to say.</summary>
    private static string TimeInline(DateTime? value, DateTime now)
    {
        var utc = DateTime.SpecifyKind(value ?? now, DateTimeKind.Utc);
        var delta = now - utc;
        var relative = Math.Abs(delta.TotalSeconds) < 1 ? "now" : delta > TimeSpan.Zero ? Span(delta) + " ago" : "in " + Span(-delta);
        return string.Create(CultureInfo.InvariantCulture, $"<time datetime=\"{utc:yyyy-MM-ddTHH:mm:ssZ}\">{utc:yyyy-MM-dd HH:mm:ss}</time> · {relative}");
    }

    private static string Span(TimeSpan span) => span.TotalSeconds switch
    {
        < 60 => $"{(int)span.TotalSeconds} s",
        < 3600 => $"{(int)span.TotalMinutes} min",
        < 172_800 => $"{(int)span.TotalHours} h",
        _ => $"{(int)span.TotalDays} d",
    };

    private static string Duration(long milliseconds)
        => milliseconds < 1000 ? $"{milliseconds} ms" : string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.0} s");

    private static string E(string value) => HtmlEncoder.Default.Encode(value);
}
