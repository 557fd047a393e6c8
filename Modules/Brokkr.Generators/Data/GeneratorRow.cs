using LinqToDB.Mapping;

namespace Brokkr.Generators.Data;

[Table("generators")]
internal sealed class GeneratorRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true, SkipOnUpdate = true)] public DateTime CreatedAt { get; set; }
    [Column("updated_at", SkipOnInsert = true)] public DateTime UpdatedAt { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("name")] public string Name { get; set; } = string.Empty;
    [Column("description")] public string? Description { get; set; }
    [Column("pak_hash")] public string? PakHash { get; set; }
    [Column("last_active_at")] public DateTime? LastActiveAt { get; set; }
    [Column("is_active")] public bool IsActive { get; set; }
    [Column("is_system")] public bool IsSystem { get; set; }
}
