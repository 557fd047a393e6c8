using Brokkr.Contracts.Audit;
using Brokkr.Contracts.WorkOrders;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using Brokkr.Shared.Json;
using Brokkr.WorkOrders.Data;
using Brokkr.WorkOrders.Domain;
using Carter;
using FluentValidation;
using FluentValidation.Results;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Brokkr.WorkOrders.Features;

/// <summary>
/// <c>POST /api/v1/work-orders</c>: admin only. The order and its targeting are one transaction, so a
/// refused target (an unknown agent) leaves neither the order nor its audit entry behind.
/// </summary>
public static class CreateWorkOrder
{
    public sealed record Command(Caller Caller, CreateWorkOrderRequest Body) : ICommand<WorkOrder>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Body).Custom((body, context) =>
            {
                if (WorkOrderRules.Problem(body, WorkOrderTargets.From(body)) is { } problem)
                {
                    context.AddFailure(new ValidationFailure("body", problem.Message) { ErrorCode = problem.Code });
                }
            });
        }
    }

    internal sealed class Handler(BrokkrDb db, IPublisher publisher) : ICommandHandler<Command, WorkOrder>
    {
        public async ValueTask<WorkOrder> Handle(Command command, CancellationToken cancellationToken)
        {
            command.Caller.RequireAdmin();
            var body = command.Body;
            var targets = WorkOrderTargets.From(body);

            var row = await db.GetTable<WorkOrderRow>().InsertWithOutputAsync(new WorkOrderRow
            {
                Id = Guid.CreateVersion7(),
                WorkType = body.WorkType,
                YamlContent = body.YamlContent,
                Status = WorkOrderStatus.Pending,
                MaxRetries = body.MaxRetries ?? WorkOrderRules.DefaultMaxRetries,
                BackoffSeconds = body.BackoffSeconds ?? WorkOrderRules.DefaultBackoffSeconds,
                ClaimTimeoutSeconds = body.ClaimTimeoutSeconds ?? WorkOrderRules.DefaultClaimTimeoutSeconds,
            }, token: cancellationToken);

            await AddAgentTargetsAsync(row.Id, targets.AgentIds, cancellationToken);
            await InsertAsync(targets.Labels.Select(l => new WorkOrderLabelRow { Id = Guid.CreateVersion7(), WorkOrderId = row.Id, Label = l! }), cancellationToken);
            await InsertAsync(targets.Annotations.Select(a => new WorkOrderAnnotationRow { Id = Guid.CreateVersion7(), WorkOrderId = row.Id, Key = a.Key, Value = a.Value! }), cancellationToken);

            await publisher.Publish(new AuditEntry(command.Caller.ActorType, command.Caller.ActorId, "workorder.created", "work_order", row.Id,
                new Dictionary<string, object?> { ["work_type"] = row.WorkType }), cancellationToken);
            await WorkOrderEvents.CreatedAsync(db, publisher, row, cancellationToken);
            return row.ToContract();
        }

        /// <summary>
        /// Every listed agent must be live: an unknown or deleted one is 422 <c>foreign_key_violation</c>
        /// (deleted counts as missing), checked before the insert so the transaction is never poisoned.
        /// </summary>
        private async Task AddAgentTargetsAsync(Guid workOrderId, IReadOnlyList<Guid> agentIds, CancellationToken cancellationToken)
        {
            if (agentIds.Count == 0)
            {
                return;
            }

            var live = await db.GetTable<AgentView>()
                .Where(a => agentIds.Contains(a.Id) && a.DeletedAt == null)
                .CountAsync(cancellationToken);
            if (live != agentIds.Count)
            {
                throw ApiException.Unprocessable("foreign_key_violation", "A referenced record does not exist",
                    new Dictionary<string, object?> { ["constraint"] = "work_order_targets_agent_id_fkey" });
            }

            await InsertAsync(agentIds.Select(a => new WorkOrderTargetRow { Id = Guid.CreateVersion7(), WorkOrderId = workOrderId, AgentId = a }), cancellationToken);
        }

        private async Task InsertAsync<T>(IEnumerable<T> rows, CancellationToken cancellationToken)
            where T : class
        {
            var list = rows.ToList();
            if (list.Count > 0)
            {
                await db.GetTable<T>().BulkCopyAsync(new BulkCopyOptions { BulkCopyType = BulkCopyType.MultipleRows }, list, cancellationToken);
            }
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
            => app.MapPost("/api/v1/work-orders", async (Caller caller, Json<CreateWorkOrderRequest> body, ISender sender, CancellationToken ct) =>
                {
                    caller.RequireAdmin();
                    return TypedResults.Created((string?)null, await sender.Send(new Command(caller, body.Value), ct));
                })
                .Accepts<CreateWorkOrderRequest>("application/json")
                .WithTags("work-orders")
                .WithName("create_work_order")
                .WithSummary("Create a work order")
                .WithDescription("Admin only. A PENDING order for the agents it targets: `targeting.agent_ids` (merged with the legacy `target_agent_ids`), any agent with one of `targeting.labels`, or with one of the key=value pairs in `targeting.annotations`. 400 `no_targeting_specified` without any; 400 `invalid_work_order` for a blank or over-long `work_type` (50 characters) or blank `yaml_content`, negative `max_retries`, `backoff_seconds` or `claim_timeout_seconds` not positive, or a label, annotation key or value that is empty, over 64 characters or contains whitespace; 422 `foreign_key_violation` for an unknown agent id, and then nothing is created. Defaults: 3 retries, 60 s backoff, 3600 s claim timeout.");
    }
}
