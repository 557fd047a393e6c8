using LinqToDB.Mapping;

namespace Brokkr.Realtime.Data;

/// <summary>Read-only view of the Stacks module's table: whether a stack is live and who owns it.</summary>
[Table("stacks", IsView = true)]
internal sealed class StackView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("generator_id")] public Guid GeneratorId { get; set; }
}

/// <summary>Read-only view of the Agents module's table: the live agents the fleet sweep reads records for.</summary>
[Table("agents", IsView = true)]
internal sealed class AgentView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}
