using Brokkr.Health.Api;
using LinqToDB.Mapping;

namespace Brokkr.Health.Data;

[Table("deployment_health")]
internal sealed class DeploymentHealthRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("deployment_object_id")] public Guid DeploymentObjectId { get; set; }
    [Column("status")] public string Status { get; set; } = string.Empty;
    [Column("summary")] public string? Summary { get; set; }
    [Column("checked_at")] public DateTime CheckedAt { get; set; }
    [Column("created_at", SkipOnInsert = true, SkipOnUpdate = true)] public DateTime CreatedAt { get; set; }
    [Column("updated_at", SkipOnInsert = true)] public DateTime UpdatedAt { get; set; }

    public DeploymentHealth ToContract() => new(Id, AgentId, DeploymentObjectId, Status, Summary, CheckedAt, CreatedAt, UpdatedAt);
}
