using Brokkr.Agents.Data;
using Brokkr.Contracts.Agents;
using Brokkr.Contracts.Audit;
using Brokkr.Contracts.Cli;
using Brokkr.Contracts.Generators;
using Brokkr.Contracts.Webhooks;
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
/// <c>POST /api/v1/agents</c> (and the CLI's <c>create agent</c>): a new cluster identity, INACTIVE,
/// registered with the system generator and any listed generators; its PAK is shown only here.
/// </summary>
public static class CreateAgent
{
    public sealed record CreateAgentRequest(string Name, string ClusterName, IReadOnlyList<Guid>? GeneratorIds = null);

    public sealed record CreateAgentResponse(Agent Agent, string InitialPak);

    public sealed record Command(Caller Caller, CreateAgentRequest Body) : ICommand<CreateAgentResponse>;

    internal sealed class Handler(BrokkrDb db, ISender sender, IPublisher publisher) : ICommandHandler<Command, CreateAgentResponse>
    {
        public async ValueTask<CreateAgentResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            var body = command.Body;
            var generatorIds = body.GeneratorIds ?? [];
            await sender.Send(new EnsureGeneratorsExist(generatorIds), cancellationToken);
            AgentNames.Validate(body.Name, body.ClusterName);

            var pak = Pak.Generate();
            var row = await db.GetTable<AgentRow>().InsertWithOutputAsync(new AgentRow
            {
                Id = Guid.CreateVersion7(),
                Name = body.Name,
                ClusterName = body.ClusterName,
                Status = AgentStatus.Inactive,
                PakHash = pak.Hash,
            }, token: cancellationToken);
            await sender.Send(new RegisterAgentWithGenerators(row.Id, generatorIds), cancellationToken);

            await publisher.Publish(new AuditEntry(command.Caller.ActorType, command.Caller.ActorId, "agent.created", "agent", row.Id,
                new Dictionary<string, object?> { ["name"] = row.Name, ["cluster_name"] = row.ClusterName }), cancellationToken);
            await publisher.Publish(new AuditEntry(command.Caller.ActorType, command.Caller.ActorId, "pak.created", "pak", row.Id,
                new Dictionary<string, object?> { ["entity"] = "agent", ["name"] = row.Name }), cancellationToken);
            await publisher.Publish(new WebhookEvent(WebhookEventTypes.AgentRegistered, new Dictionary<string, object?>
            {
                ["agent_id"] = row.Id,
                ["name"] = row.Name,
                ["cluster_name"] = row.ClusterName,
                ["status"] = row.Status,
                ["created_at"] = row.CreatedAt,
            }), cancellationToken);
            return new CreateAgentResponse(row.ToContract(), pak.Value);
        }
    }

    /// <summary>The host command <c>create agent</c>: the same use case, run as admin.</summary>
    internal sealed class CliHandler(ISender sender) : ICommandHandler<Contracts.Cli.CreateAgent, CliCreated>
    {
        public async ValueTask<CliCreated> Handle(Contracts.Cli.CreateAgent command, CancellationToken cancellationToken)
        {
            var created = await sender.Send(
                new Command(Caller.Admin, new CreateAgentRequest(command.Name, command.ClusterName, command.GeneratorIds)), cancellationToken);
            return new CliCreated(created.Agent.Id, created.InitialPak);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/agents", async (Caller caller, Json<CreateAgentRequest> body, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    return TypedResults.Created((string?)null, await sender.Send(new Command(caller, body.Value), ct));
                })
                .Accepts<CreateAgentRequest>("application/json")
                .WithTags("agents")
                .WithName("create_agent")
                .WithSummary("Create an agent")
                .WithDescription("Admin only. Creates an INACTIVE agent registered with the system generator and any `generator_ids` (400 `invalid_generator_id` for an unknown one), and returns its PAK once as `initial_pak`. Name and cluster name: not blank, at most 255 characters (400 `invalid_agent`); the pair is unique among live agents (409).");
    }
}

internal static class AgentStatus
{
    public const string Inactive = "INACTIVE";
    public const string Active = "ACTIVE";
    public const int MaxLength = 50;

    /// <summary>What the agent treats as "go": refused when an agent sets it on itself.</summary>
    public static bool IsActivation(string status) => status.Trim().Equals(Active, StringComparison.OrdinalIgnoreCase);
}

internal static class AgentNames
{
    public const int MaxLength = 255;

    public static void Validate(string name, string clusterName)
    {
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(clusterName))
        {
            throw ApiException.BadRequest("invalid_agent", "Agent name and cluster name must not be blank");
        }

        ValidateLength(name, clusterName);
    }

    public static void ValidateLength(string? name, string? clusterName)
    {
        if ((name is not null && !WireText.Fits(name, MaxLength)) || (clusterName is not null && !WireText.Fits(clusterName, MaxLength)))
        {
            throw ApiException.BadRequest("invalid_agent", $"Agent name and cluster name must be at most {MaxLength} characters, without NUL characters");
        }
    }
}
