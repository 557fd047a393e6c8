using System.Text.Json;
using Brokkr.Agents.Data;
using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Audit;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.Shared.Text;
using Carter;
using LinqToDB;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.Agents.Features;

/// <summary>
/// <c>PUT /api/v1/agents/{id}</c>: takes any JSON value and applies only the string-valued
/// <c>name</c>, <c>cluster_name</c> and <c>status</c>. An agent may edit its own record but not
/// activate itself (403 <c>agent_cannot_activate</c>); admin is unrestricted.
/// </summary>
public static class UpdateAgent
{
    /// <summary>The fields a PUT body carries as strings; anything else in the body is ignored.</summary>
    public sealed record AgentUpdate(string? Name, string? ClusterName, string? Status)
    {
        /// <summary>Reads a PUT body; a body that is not an object, or has none of the fields, changes nothing.</summary>
        public static AgentUpdate From(JsonElement body)
        {
            string? name = null, clusterName = null, status = null;
            if (body.ValueKind == JsonValueKind.Object)
            {
                // Enumerated rather than looked up so that a repeated key takes its last value, as serde does.
                foreach (var property in body.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }

                    switch (property.Name)
                    {
                        case "name": name = property.Value.GetString(); break;
                        case "cluster_name": clusterName = property.Value.GetString(); break;
                        case "status": status = property.Value.GetString(); break;
                    }
                }
            }

            return new AgentUpdate(name, clusterName, status);
        }
    }

    public sealed record Command(Caller Caller, Guid AgentId, AgentUpdate Body) : ICommand<Agent>;

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, Agent>
    {
        public async ValueTask<Agent> Handle(Command command, CancellationToken cancellationToken)
        {
            var caller = command.Caller;
            caller.RequireAdminOrAgent(command.AgentId);
            var current = await AgentLookup.LiveAsync(db, command.AgentId, cancellationToken);
            var body = command.Body;
            if (caller.IsAgent && body.Status is { } requested && AgentStatus.IsActivation(requested))
            {
                throw ApiException.Forbidden("agent_cannot_activate", "An agent cannot set its own status to ACTIVE; an admin must activate it");
            }

            AgentNames.ValidateLength(body.Name, body.ClusterName);
            if (body.Status is not null && !WireText.Fits(body.Status, AgentStatus.MaxLength))
            {
                throw ApiException.BadRequest("invalid_agent", $"Agent status must be at most {AgentStatus.MaxLength} characters, without NUL characters");
            }

            if (body is { Name: null, ClusterName: null, Status: null })
            {
                return current.ToContract();
            }

            var name = body.Name ?? current.Name;
            var clusterName = body.ClusterName ?? current.ClusterName;
            var status = body.Status ?? current.Status;
            await db.GetTable<AgentRow>()
                .Where(a => a.Id == current.Id)
                .Set(a => a.Name, name)
                .Set(a => a.ClusterName, clusterName)
                .Set(a => a.Status, status)
                .UpdateAsync(cancellationToken);
            var row = await AgentLookup.LiveAsync(db, current.Id, cancellationToken);

            await publisher.Publish(new AuditEntry(
                caller.ActorType, caller.ActorId,
                "agent.updated", "agent", row.Id,
                new Dictionary<string, object?> { ["name"] = row.Name, ["cluster_name"] = row.ClusterName, ["status"] = row.Status }), cancellationToken);
            return row.ToContract();
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPut("/api/v1/agents/{id}", async (Guid id, Caller caller, Json<JsonElement> body, ISender sender, CancellationToken ct)
                    => TypedResults.Ok(await sender.Send(new Command(caller, id, AgentUpdate.From(body.Value)), ct)))
                .Accepts<JsonElement>("application/json")
                .WithTags("agents")
                .WithName("update_agent")
                .WithSummary("Update an agent")
                .WithDescription("Admin or the agent itself. Any JSON value; only string-valued `name`, `cluster_name` and `status` are applied (at most 255, 255 and 50 characters, else 400 `invalid_agent`). An agent cannot set its own status to `ACTIVE` (403 `agent_cannot_activate`). 409 when the (name, cluster_name) pair is taken.");
    }
}
