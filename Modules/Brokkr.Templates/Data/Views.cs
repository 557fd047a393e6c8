using LinqToDB.Mapping;

namespace Brokkr.Templates.Data;

/// <summary>Read-only view of the Stacks module's table: instantiation checks the stack's existence and owner.</summary>
[Table("stacks", IsView = true)]
internal sealed class StackView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("generator_id")] public Guid GeneratorId { get; set; }
}

/// <summary>Read-only view of the Stacks module's labels, matched against a template's labels.</summary>
[Table("stack_labels", IsView = true)]
internal sealed class StackLabelView
{
    [Column("stack_id")] public Guid StackId { get; set; }
    [Column("label")] public string Label { get; set; } = string.Empty;
}

/// <summary>Read-only view of the Stacks module's annotations, matched against a template's annotations.</summary>
[Table("stack_annotations", IsView = true)]
internal sealed class StackAnnotationView
{
    [Column("stack_id")] public Guid StackId { get; set; }
    [Column("key")] public string Key { get; set; } = string.Empty;
    [Column("value")] public string Value { get; set; } = string.Empty;
}
