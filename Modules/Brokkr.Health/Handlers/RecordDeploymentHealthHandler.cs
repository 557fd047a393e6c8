using Brokkr.Contracts.Health;
using Brokkr.Health.Domain;
using Brokkr.Shared.Data;
using Mediator;

namespace Brokkr.Health.Handlers;

/// <summary>Health reports that arrive other than by the REST PATCH (the WebSocket <c>agent_health</c> frame).</summary>
internal sealed class RecordDeploymentHealthHandler(BrokkrDb db) : ICommandHandler<RecordDeploymentHealth>
{
    public async ValueTask<Unit> Handle(RecordDeploymentHealth command, CancellationToken cancellationToken)
    {
        await HealthRecords.RecordAsync(db, command.AgentId, command.Updates, cancellationToken);
        return Unit.Value;
    }
}
