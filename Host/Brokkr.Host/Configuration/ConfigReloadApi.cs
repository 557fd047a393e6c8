using System.Globalization;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Errors;
using Mediator;

namespace Brokkr.Host.Configuration;

/// <summary>The answer of <c>POST /admin/config/reload</c>; <c>message</c> is always set.</summary>
public sealed record ConfigReloadResponse(DateTime ReloadedAt, IReadOnlyList<ConfigChangeInfo> Changes, bool Success, string? Message);

/// <summary><c>POST /api/v1/admin/config/reload</c>: the configuration re-read and its dynamic settings applied, now.</summary>
internal static class ConfigReloadApi
{
    public const string InvalidCode = "invalid_configuration";

    public static void MapBrokkrConfigReload(this IEndpointRouteBuilder app)
        => app.MapPost("/api/v1/admin/config/reload", async (Caller caller, ConfigReloader reloader, IPublisher publisher, CancellationToken ct) =>
            {
                caller.RequireAdmin();
                if (caller.ReadOnly)
                {
                    throw ApiException.Forbidden("forbidden", "The read-only token cannot reload the configuration");
                }

                ConfigReloader.Outcome outcome;
                try
                {
                    outcome = await reloader.ReloadAsync("API", ct);
                }
                catch (ConfigurationInvalidException ex)
                {
                    throw ApiException.Unprocessable(InvalidCode, $"The configuration could not be read; nothing was changed. {ex.Message}");
                }

                await publisher.Publish(ConfigAudit.Entry("admin", outcome.Changes), ct);
                var message = outcome.Changes.Count == 0
                    ? "No changes detected"
                    : string.Create(CultureInfo.InvariantCulture, $"{outcome.Changes.Count} setting(s) updated");
                return TypedResults.Ok(new ConfigReloadResponse(outcome.ReloadedAt, outcome.Changes, true, message));
            })
            .WithTags("Admin")
            .WithName("reload_config")
            .WithSummary("Reloads the broker configuration from disk.")
            .WithDescription("Admin only (403 `admin_required`). Re-reads the configuration as the broker read it at start (defaults, then `BROKKR_CONFIG_FILE`, then `BROKKR__*` environment variables, which win) and applies the settings that can change at run time: `log.level`, `cors.allowed_origins`, `cors.allowed_methods`, `cors.allowed_headers`, `cors.max_age_seconds`, `broker.webhook_delivery_interval_seconds`, `broker.webhook_delivery_batch_size`, `broker.webhook_cleanup_retention_days`, `broker.diagnostic_cleanup_interval_seconds` and `broker.diagnostic_max_age_hours`; a job whose interval changed is rescheduled. Answers the changes with `message` \"N setting(s) updated\" or \"No changes detected\", and audits `config.reloaded`. A file that does not parse, or a value of the wrong type, is 422 `invalid_configuration` and changes nothing. Applies to the replica that answers; each replica's file watcher reloads it when the file changes.");
}
