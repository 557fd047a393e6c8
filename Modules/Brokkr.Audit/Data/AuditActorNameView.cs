using LinqToDB.Mapping;

namespace Brokkr.Audit.Data;

/// <summary>The module's own read-only view over agent and generator names (migration 1200).</summary>
[Table("audit_actor_names", IsView = true)]
internal sealed class AuditActorNameView
{
    [Column("actor_type", CanBeNull = false)] public string ActorType { get; set; } = string.Empty;
    [Column("actor_id")] public Guid ActorId { get; set; }
    [Column("name")] public string Name { get; set; } = string.Empty;
}
