using LinqToDB.Mapping;

namespace Brokkr.WorkOrders.Data;

/// <summary>Read-only view of the Agents module's table: which agents are live.</summary>
[Table("agents", IsView = true)]
internal sealed class AgentView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}
