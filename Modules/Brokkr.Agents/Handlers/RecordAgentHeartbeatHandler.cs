using Brokkr.Contracts.Agents;
using Brokkr.Shared.Data;
using LinqToDB;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Agents.Handlers;

/// <summary>A heartbeat from REST or the WebSocket channel: one UPDATE on a path every agent hits every few seconds.</summary>
internal sealed class RecordAgentHeartbeatHandler(BrokkrDb db) : IRequestHandler<RecordAgentHeartbeat>
{
    private const string BeatSql =
        "UPDATE agents SET last_heartbeat = now() WHERE id = @agent AND deleted_at IS NULL";

    private const string BeatWithReportSql =
        "UPDATE agents SET last_heartbeat = now(), k8s_reachable = @reachable, k8s_api_latency_ms = @latency, k8s_reported_at = now() WHERE id = @agent AND deleted_at IS NULL";

    public async ValueTask<Unit> Handle(RecordAgentHeartbeat request, CancellationToken cancellationToken)
    {
        var agent = new DataParameter("agent", request.AgentId, DataType.Guid);
        if (request.Report is { K8sReachable: { } reachable } report)
        {
            await db.ExecuteAsync(BeatWithReportSql, cancellationToken,
                agent,
                new DataParameter("reachable", reachable, DataType.Boolean),
                new DataParameter("latency", report.K8sApiLatencyMs, DataType.Int32));
        }
        else
        {
            await db.ExecuteAsync(BeatSql, cancellationToken, agent);
        }

        return Unit.Value;
    }
}
