using Brokkr.Contracts.WorkOrders;
using Brokkr.Shared.Text;

namespace Brokkr.WorkOrders.Domain;

/// <summary>Who a new work order is for: the merged agent ids, labels and annotations, each once.</summary>
internal sealed record WorkOrderTargets(
    IReadOnlyList<Guid> AgentIds,
    IReadOnlyList<string?> Labels,
    IReadOnlyList<KeyValuePair<string, string?>> Annotations)
{
    public bool IsEmpty => AgentIds.Count == 0 && Labels.Count == 0 && Annotations.Count == 0;

    /// <summary>
    /// <c>targeting.agent_ids</c> and the legacy <c>target_agent_ids</c> are one set, as are the labels;
    /// a repeated entry is the same target, not a conflict.
    /// </summary>
    public static WorkOrderTargets From(CreateWorkOrderRequest body)
    {
        var targeting = body.Targeting;
        var agentIds = (targeting?.AgentIds ?? []).Concat(body.TargetAgentIds ?? []).Distinct().ToList();
        var labels = (targeting?.Labels ?? []).Select(l => (string?)l).Distinct(StringComparer.Ordinal).ToList();
        var annotations = (targeting?.Annotations ?? new Dictionary<string, string>())
            .Select(a => new KeyValuePair<string, string?>(a.Key, a.Value))
            .ToList();
        return new WorkOrderTargets(agentIds, labels, annotations);
    }
}

/// <summary>What a work order must be (the reference's checks, plus the column limits as 400s instead of 500s).</summary>
internal static class WorkOrderRules
{
    public const int WorkTypeMaxCharacters = 50;
    public const int TagMaxCharacters = 64;
    public const int DefaultMaxRetries = 3;
    public const int DefaultBackoffSeconds = 60;
    public const int DefaultClaimTimeoutSeconds = 3600;

    /// <summary>
    /// The longest wait before a retry. Only an overflow guard: <c>backoff_seconds × 2^retry_count</c>
    /// would otherwise leave the range of a timestamp for large retry counts.
    /// </summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(365 * 100);

    public const string NoTargetingCode = "no_targeting_specified";
    public const string InvalidCode = "invalid_work_order";

    /// <summary>The first problem with a new work order, in the reference's order, or null.</summary>
    public static (string Code, string Message)? Problem(CreateWorkOrderRequest body, WorkOrderTargets targets)
    {
        if (targets.IsEmpty)
        {
            return (NoTargetingCode, "At least one targeting method must be specified (agent_ids, labels, or annotations)");
        }

        string? message = null;
        if (string.IsNullOrWhiteSpace(body.WorkType))
        {
            message = "Work type cannot be empty";
        }
        else if (!WireText.Fits(body.WorkType, WorkTypeMaxCharacters))
        {
            message = $"Work type must be at most {WorkTypeMaxCharacters} characters, without NUL characters";
        }
        else if (string.IsNullOrWhiteSpace(body.YamlContent))
        {
            message = "YAML content cannot be empty";
        }
        else if (!WireText.IsStorable(body.YamlContent))
        {
            message = "YAML content must not contain NUL characters or unpaired surrogates";
        }
        else if (body.MaxRetries is < 0)
        {
            message = "max_retries must be non-negative";
        }
        else if (body.BackoffSeconds is <= 0)
        {
            message = "backoff_seconds must be positive";
        }
        else if (body.ClaimTimeoutSeconds is <= 0)
        {
            message = "claim_timeout_seconds must be positive";
        }
        else if (targets.Labels.Any(l => !IsValidTag(l)))
        {
            message = $"Invalid targeting label: labels are 1 to {TagMaxCharacters} characters without whitespace";
        }
        else if (targets.Annotations.Any(a => !IsValidTag(a.Key) || !IsValidTag(a.Value)))
        {
            message = $"Invalid targeting annotation: keys and values are 1 to {TagMaxCharacters} characters without whitespace";
        }

        return message is null ? null : (InvalidCode, message);
    }

    /// <summary>A targeting label, annotation key or annotation value: 1 to 64 characters, no whitespace.</summary>
    public static bool IsValidTag(string? tag)
        => !string.IsNullOrEmpty(tag) && WireText.Fits(tag, TagMaxCharacters) && !tag.Any(char.IsWhiteSpace);

    /// <summary>Whether a failure ends the order: not retryable, or the retries are used up.</summary>
    public static bool IsFinalFailure(int retryCount, int maxRetries, bool retryable)
        => !retryable || (long)retryCount + 1 > maxRetries;

    /// <summary><c>now + backoff_seconds × 2^newRetryCount</c> (so 2, 4, 8 … × backoff), at most <see cref="MaxRetryDelay"/> away.</summary>
    public static DateTime NextRetryAfter(DateTime now, int backoffSeconds, int newRetryCount)
    {
        var seconds = Math.Max(backoffSeconds, 1) * Math.Pow(2, Math.Max(newRetryCount, 0));
        var delay = seconds >= MaxRetryDelay.TotalSeconds ? MaxRetryDelay : TimeSpan.FromSeconds(seconds);
        return now + delay;
    }
}
