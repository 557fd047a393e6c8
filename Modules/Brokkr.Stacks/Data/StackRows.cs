using Brokkr.Contracts.Stacks;
using LinqToDB.Mapping;

namespace Brokkr.Stacks.Data;

[Table("stacks")]
internal sealed class StackRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true)] public DateTime CreatedAt { get; set; }
    [Column("updated_at", SkipOnInsert = true)] public DateTime UpdatedAt { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("name")] public string Name { get; set; } = string.Empty;
    [Column("description")] public string? Description { get; set; }
    [Column("generator_id")] public Guid GeneratorId { get; set; }
}

[Table("stack_labels")]
internal sealed class StackLabelRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
    [Column("label")] public string Label { get; set; } = string.Empty;
}

[Table("stack_annotations")]
internal sealed class StackAnnotationRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
    [Column("key")] public string Key { get; set; } = string.Empty;
    [Column("value")] public string Value { get; set; } = string.Empty;
}

[Table("deployment_objects")]
internal sealed class DeploymentObjectRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true, SkipOnUpdate = true)] public DateTime CreatedAt { get; set; }
    [Column("updated_at", SkipOnInsert = true)] public DateTime UpdatedAt { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("sequence_id", SkipOnInsert = true, SkipOnUpdate = true)] public long SequenceId { get; set; }
    [Column("stack_id")] public Guid StackId { get; set; }
    [Column("yaml_content")] public string YamlContent { get; set; } = string.Empty;
    [Column("yaml_checksum")] public string YamlChecksum { get; set; } = string.Empty;
    [Column("submitted_at", SkipOnInsert = true)] public DateTime SubmittedAt { get; set; }
    [Column("is_deletion_marker")] public bool IsDeletionMarker { get; set; }

    public DeploymentObject ToContract()
        => new(Id, CreatedAt, UpdatedAt, DeletedAt, SequenceId, StackId, YamlContent, YamlChecksum, SubmittedAt, IsDeletionMarker);
}

/// <summary>An agent that was associated with a stack when it was deleted, and the marker it is owed.</summary>
[Table("stack_deletion_deliveries")]
internal sealed class StackDeletionDeliveryRow
{
    [Column("stack_id"), PrimaryKey(1)] public Guid StackId { get; set; }
    [Column("agent_id"), PrimaryKey(0)] public Guid AgentId { get; set; }
    [Column("marker_id")] public Guid MarkerId { get; set; }
    [Column("created_at", SkipOnInsert = true)] public DateTime CreatedAt { get; set; }
}
