using LinqToDB;
using LinqToDB.Mapping;

namespace Brokkr.Audit.Data;

[Table("audit_logs")]
internal sealed class AuditLogRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("timestamp")] public DateTime Timestamp { get; set; }
    [Column("actor_type", CanBeNull = false)] public string ActorType { get; set; } = string.Empty;
    [Column("actor_id")] public Guid? ActorId { get; set; }
    [Column("action")] public string Action { get; set; } = string.Empty;
    [Column("resource_type")] public string ResourceType { get; set; } = string.Empty;
    [Column("resource_id")] public Guid? ResourceId { get; set; }
    [Column("details", DataType = DataType.BinaryJson)] public string? Details { get; set; }
    [Column("ip_address")] public string? IpAddress { get; set; }
    [Column("user_agent")] public string? UserAgent { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }
}
