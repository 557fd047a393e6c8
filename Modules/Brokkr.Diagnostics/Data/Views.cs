using LinqToDB.Mapping;

namespace Brokkr.Diagnostics.Data;

/// <summary>Read-only view of the Stacks module's revisions: a request needs a live one.</summary>
[Table("deployment_objects", IsView = true)]
internal sealed class DeploymentObjectView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}

/// <summary>Read-only view of the Agents module's table: a request needs a live agent.</summary>
[Table("agents", IsView = true)]
internal sealed class AgentView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}
