using Brokkr.Agents.Data;
using Brokkr.Contracts.Generators;
using Brokkr.Shared.Data;
using LinqToDB;
using LinqToDB.Mapping;
using Mediator;

namespace Brokkr.Agents.Handlers;

/// <summary>
/// An agent that leaves a generator loses its explicit targets to that generator's live stacks, in
/// the deregistration's transaction (one statement).
/// </summary>
internal sealed class RemoveTargetsOnDeregistration(BrokkrDb db) : INotificationHandler<AgentDeregistered>
{
    public async ValueTask Handle(AgentDeregistered notification, CancellationToken cancellationToken)
    {
        var stacks = db.GetTable<DeregisteredGeneratorStackView>();
        await db.GetTable<AgentTargetRow>()
            .Where(t => t.AgentId == notification.AgentId
                && stacks.Any(s => s.Id == t.StackId && s.GeneratorId == notification.GeneratorId && s.DeletedAt == null))
            .DeleteAsync(cancellationToken);
    }
}

/// <summary>Read-only view of the Stacks module's table: which generator owns a stack.</summary>
[Table("stacks")]
internal sealed class DeregisteredGeneratorStackView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("generator_id")] public Guid GeneratorId { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}
