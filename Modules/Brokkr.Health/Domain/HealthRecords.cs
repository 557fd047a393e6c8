using System.Text.Json;
using Brokkr.Contracts.Health;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using LinqToDB;
using LinqToDB.Data;

namespace Brokkr.Health.Domain;

/// <summary>
/// Stores an agent's health reports: the whole batch is checked first (one bad record rejects it
/// with 422 <c>invalid_health_record</c>), then upserted per (agent, deployment object) in one
/// statement. An unknown agent or deployment object is a foreign-key violation (422).
/// </summary>
internal static class HealthRecords
{
    private const string UpsertSql = """
        INSERT INTO deployment_health (id, agent_id, deployment_object_id, status, summary, checked_at)
        SELECT report.id, @agent_id, report.deployment_object_id, report.status, report.summary, report.checked_at
        FROM unnest(@ids::uuid[], @object_ids::uuid[], @statuses::text[], @summaries::text[], @checked_at::timestamptz[])
            AS report (id, deployment_object_id, status, summary, checked_at)
        ON CONFLICT (agent_id, deployment_object_id) DO UPDATE
        SET status = EXCLUDED.status, summary = EXCLUDED.summary, checked_at = EXCLUDED.checked_at
        """;

    public static async Task RecordAsync(BrokkrDb db, Guid agentId, IReadOnlyList<DeploymentObjectHealthUpdate> updates, CancellationToken cancellationToken)
    {
        foreach (var update in updates)
        {
            Validate(update);
        }

        // One row per object: a statement may not upsert the same row twice, and the last report wins.
        // Rows go in object order, so concurrent batches of one agent lock them in the same order.
        var latest = updates
            .Select((update, index) => (update, index))
            .GroupBy(u => u.update.Id)
            .Select(g => g.MaxBy(u => u.index).update)
            .OrderBy(u => u.Id)
            .ToList();
        if (latest.Count == 0)
        {
            return;
        }

        await db.ExecuteAsync(UpsertSql, cancellationToken,
            new DataParameter("agent_id", agentId, DataType.Guid),
            new DataParameter("ids", latest.Select(_ => Guid.CreateVersion7()).ToArray()),
            new DataParameter("object_ids", latest.Select(u => u.Id).ToArray()),
            new DataParameter("statuses", latest.Select(u => u.Status).ToArray()),
            new DataParameter("summaries", latest.Select(u => SummaryText(u.Summary)).ToArray()),
            new DataParameter("checked_at", latest.Select(u => DateTime.SpecifyKind(u.CheckedAt, DateTimeKind.Utc)).ToArray()));
    }

    /// <summary>The stored form (details §1.4): compact, keys in the reference's order, unset optionals left out, unknown keys gone.</summary>
    public static string? SummaryText(HealthSummary? summary)
        => summary is null ? null : JsonSerializer.Serialize(summary, BrokkrJson.Options);

    private static void Validate(DeploymentObjectHealthUpdate update)
    {
        if (!HealthStatuses.IsValid(update.Status))
        {
            throw Invalid(update, $"Invalid health status for deployment object {update.Id}: expected healthy, degraded, failing or unknown");
        }

        if (update.Summary is { } summary && !IsStorable(summary))
        {
            throw Invalid(update, $"The health summary of deployment object {update.Id} contains NUL characters or unpaired surrogates");
        }
    }

    private static bool IsStorable(HealthSummary summary)
        => summary.Conditions.All(WireText.IsStorable)
            && (summary.Resources ?? []).All(r => WireText.IsStorable(r.Kind) && WireText.IsStorable(r.Name)
                && WireText.IsStorable(r.Namespace) && WireText.IsStorable(r.Message));

    private static ApiException Invalid(DeploymentObjectHealthUpdate update, string message)
        => ApiException.Unprocessable("invalid_health_record", message, new Dictionary<string, object?> { ["deployment_object_id"] = update.Id });
}
