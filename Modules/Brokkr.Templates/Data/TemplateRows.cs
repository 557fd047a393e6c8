using LinqToDB.Mapping;

namespace Brokkr.Templates.Data;

[Table("stack_templates")]
internal sealed class StackTemplateRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true, SkipOnUpdate = true)] public DateTime CreatedAt { get; set; }
    [Column("updated_at", SkipOnInsert = true)] public DateTime UpdatedAt { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("generator_id")] public Guid? GeneratorId { get; set; }
    [Column("name")] public string Name { get; set; } = string.Empty;
    [Column("description")] public string? Description { get; set; }
    [Column("version")] public int Version { get; set; }
    [Column("template_content")] public string TemplateContent { get; set; } = string.Empty;
    [Column("parameters_schema")] public string ParametersSchema { get; set; } = string.Empty;
    [Column("checksum")] public string Checksum { get; set; } = string.Empty;
}

[Table("template_labels")]
internal sealed class TemplateLabelRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true)] public DateTime CreatedAt { get; set; }
    [Column("template_id")] public Guid TemplateId { get; set; }
    [Column("label")] public string Label { get; set; } = string.Empty;
}

[Table("template_annotations")]
internal sealed class TemplateAnnotationRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true)] public DateTime CreatedAt { get; set; }
    [Column("template_id")] public Guid TemplateId { get; set; }
    [Column("key")] public string Key { get; set; } = string.Empty;
    [Column("value")] public string Value { get; set; } = string.Empty;
}

[Table("rendered_deployment_objects")]
internal sealed class RenderedDeploymentObjectRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("created_at", SkipOnInsert = true)] public DateTime CreatedAt { get; set; }
    [Column("deployment_object_id")] public Guid DeploymentObjectId { get; set; }
    [Column("template_id")] public Guid TemplateId { get; set; }
    [Column("template_version")] public int TemplateVersion { get; set; }
    [Column("template_parameters")] public string TemplateParameters { get; set; } = string.Empty;
}
