using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Errors;
using Mediator;

namespace Brokkr.Host.Jobs;

/// <summary>
/// <c>/api/v1/admin/jobs</c>: the jobs dashboard's data and actions as JSON, for admin PAKs only
/// (401 without a PAK, 403 <c>admin_required</c> for agents and generators). Beyond the reference API;
/// the cookie of the dashboard page is never accepted here.
/// </summary>
internal static class JobsApi
{
    public const string Tag = "Admin";

    public static void MapBrokkrJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/admin/jobs").WithTags(Tag);

        jobs.MapGet("", async (Caller caller, JobsBoard board, CancellationToken ct) =>
            {
                caller.RequireAdmin();
                return TypedResults.Ok(await board.ListAsync(ct));
            })
            .WithName("list_jobs")
            .WithSummary("List the maintenance jobs")
            .WithDescription("Admin only (403 `admin_required`). Every maintenance job of the broker's clustered scheduler: its key, what it does, its interval, its state (`normal`, `paused`, `error`, `missing`, or `disabled` where the broker runs no scheduler), whether a run is in progress on some replica, the previous and next fire time, and its last run (when, `ok` or `error` with a message, duration in milliseconds, the broker instance that ran it, and whether it was started by hand).");

        jobs.MapPost("/{key}/run", async (string key, Caller caller, JobsBoard board, IPublisher publisher, CancellationToken ct) =>
            {
                RequireAdminWrite(caller);
                await board.RunNowAsync(key, ct);
                await AuditAsync(publisher, caller, "job.triggered", key, ct);
                return TypedResults.Accepted((string?)null, await board.GetAsync(key, ct));
            })
            .WithName("run_job")
            .WithSummary("Run a maintenance job now")
            .WithDescription("Admin only (403 `admin_required`). Fires the job once, as soon as a replica's scheduler picks it up, never beside a run of the same job in progress; answers 202 with the job. Unknown key: 404 `job_not_found`; a broker without a scheduler: 409 `scheduler_disabled`.");

        jobs.MapPost("/{key}/pause", async (string key, Caller caller, JobsBoard board, IPublisher publisher, CancellationToken ct) =>
            {
                RequireAdminWrite(caller);
                await board.PauseAsync(key, ct);
                await AuditAsync(publisher, caller, "job.paused", key, ct);
                return TypedResults.Ok(await board.GetAsync(key, ct));
            })
            .WithName("pause_job")
            .WithSummary("Pause a maintenance job")
            .WithDescription("Admin only (403 `admin_required`). Stops the job's schedule on every replica until it is resumed (a run in progress finishes). Unknown key: 404 `job_not_found`; a broker without a scheduler: 409 `scheduler_disabled`.");

        jobs.MapPost("/{key}/resume", async (string key, Caller caller, JobsBoard board, IPublisher publisher, CancellationToken ct) =>
            {
                RequireAdminWrite(caller);
                await board.ResumeAsync(key, ct);
                await AuditAsync(publisher, caller, "job.resumed", key, ct);
                return TypedResults.Ok(await board.GetAsync(key, ct));
            })
            .WithName("resume_job")
            .WithSummary("Resume a maintenance job")
            .WithDescription("Admin only (403 `admin_required`). Resumes the job's schedule; a fire missed while paused runs once at once. Unknown key: 404 `job_not_found`; a broker without a scheduler: 409 `scheduler_disabled`.");
    }

    public static void RequireAdminWrite(Caller caller)
    {
        caller.RequireAdmin();
        if (caller.ReadOnly)
        {
            throw ApiException.Forbidden("forbidden", "The read-only token cannot change jobs");
        }
    }

    /// <summary>Who paused, resumed or started a job by hand is worth keeping next to the other admin actions.</summary>
    public static async Task AuditAsync(IPublisher publisher, Caller caller, string action, string key, CancellationToken cancellationToken)
        => await publisher.Publish(new AuditEntry(caller.ActorType, caller.ActorId, action, "job", null, new Dictionary<string, object?> { ["job"] = key }, null, null), cancellationToken);
}
