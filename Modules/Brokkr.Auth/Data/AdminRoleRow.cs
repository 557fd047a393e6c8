using LinqToDB.Mapping;

namespace Brokkr.Auth.Data;

[Table("admin_role")]
internal sealed class AdminRoleRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at")] public DateTime CreatedAt { get; set; }
    [Column("updated_at")] public DateTime UpdatedAt { get; set; }
    [Column("pak_hash")] public string PakHash { get; set; } = string.Empty;
}

[Table("app_initialization")]
internal sealed class AppInitializationRow
{
    [Column("id"), PrimaryKey, Identity] public int Id { get; set; }
    [Column("initialized_at")] public DateTime InitializedAt { get; set; }
}
