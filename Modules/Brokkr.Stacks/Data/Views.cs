using LinqToDB.Mapping;

namespace Brokkr.Stacks.Data;

/// <summary>
/// Which agents a stack is associated with: the view <c>stack_agent_associations</c> of migration
/// 0300, the one definition of the targeting rules (explicit targets, plus label and annotation
/// matches gated by registration). Deleted stacks and agents are not filtered out.
/// </summary>
[Table("stack_agent_associations", IsView = true)]
internal sealed class StackAssociationView
{
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
}

/// <summary>Read-only view of the Agents module's table.</summary>
[Table("agents", IsView = true)]
internal sealed class AgentView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}

/// <summary>Read-only view of the Agents module's explicit targets: they alone grant an agent read access to a stack.</summary>
[Table("agent_targets", IsView = true)]
internal sealed class AgentTargetView
{
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
}

/// <summary>Read-only view of the Generators module's table.</summary>
[Table("generators", IsView = true)]
internal sealed class GeneratorView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}
