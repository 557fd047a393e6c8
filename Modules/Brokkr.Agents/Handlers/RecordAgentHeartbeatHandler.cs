using Brokkr.Agents.Ingest;
using Brokkr.Contracts.Agents;
using Mediator;

namespace Brokkr.Agents.Handlers;

/// <summary>
/// A heartbeat from REST or the WebSocket channel, on a path every agent hits every few seconds: it
/// joins the next group commit (ADR 0031) and returns once that batch is stored.
/// </summary>
internal sealed class RecordAgentHeartbeatHandler(HeartbeatWriter writer) : IRequestHandler<RecordAgentHeartbeat>
{
    public async ValueTask<Unit> Handle(RecordAgentHeartbeat request, CancellationToken cancellationToken)
    {
        await writer.SubmitAsync(request, cancellationToken);
        return Unit.Value;
    }
}
