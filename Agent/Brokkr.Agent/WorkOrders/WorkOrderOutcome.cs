namespace Brokkr.Agent.WorkOrders;

/// <summary>How a work order ended, as the agent reports it to <c>POST /work-orders/{id}/complete</c>.</summary>
internal sealed record WorkOrderOutcome(bool Success, string Message, bool Retryable)
{
    public static WorkOrderOutcome Succeeded(string message) => new(true, message, false);

    public static WorkOrderOutcome Failed(string message, bool retryable) => new(false, message, retryable);

    /// <summary>
    /// The reference's classification of an error nobody classified (behaviour §6): not found,
    /// forbidden, invalid, conflict ... are final; timeouts, unavailability, connection, internal and
    /// throttling errors may pass; anything else is final.
    /// </summary>
    public static bool IsRetryable(string error)
    {
        var text = error.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        string[] final = ["notfound", "forbidden", "unauthorized", "badrequest", "invalid", "unprocessable", "conflict"];
        string[] transient = ["timeout", "timedout", "unavailable", "connection", "network", "internal", "toomanyrequests", "throttl"];
        if (final.Any(text.Contains))
        {
            return false;
        }

        return transient.Any(text.Contains);
    }
}
