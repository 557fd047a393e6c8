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

