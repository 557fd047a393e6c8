using Brokkr.Agents.Ingest;
using Brokkr.Contracts.Agents;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Text;
using Mediator;

namespace Brokkr.Agents.Handlers;

/// <summary>
/// Validates an agent event and stores it, REST and WebSocket reports alike, in the next group commit
/// (ADR 0031) together with its <c>deployment.applied</c> or <c>deployment.failed</c> webhook event.
/// </summary>
internal sealed class RecordAgentEventHandler(EventWriter writer) : IRequestHandler<RecordAgentEvent, AgentEvent>
{
    public async ValueTask<AgentEvent> Handle(RecordAgentEvent command, CancellationToken cancellationToken)
    {
        Validate(command.Event);
        var stored = await writer.SubmitAsync(new AgentEventBatch(command.AgentId, [command.Event]), cancellationToken);
        return stored[0];
    }

    public static void Validate(NewAgentEvent body)
    {
        if (!WireText.Fits(body.EventType, EventWriter.MaxEventTypeLength)
            || !WireText.Fits(body.Status, EventWriter.MaxStatusLength)
            || !WireText.IsStorable(body.Message))
        {
            throw ApiException.BadRequest("invalid_agent_event",
                $"event_type must be at most {EventWriter.MaxEventTypeLength} characters and status at most {EventWriter.MaxStatusLength}, without NUL characters");
        }
    }
}
