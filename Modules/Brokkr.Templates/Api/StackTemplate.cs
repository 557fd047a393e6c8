using Brokkr.Templates.Data;

namespace Brokkr.Templates.Api;

/// <summary>
/// The reference's <c>StackTemplate</c>: one version of a template. <c>generator_id</c> is null for a
/// system template; <c>parameters_schema</c> is JSON Schema as text; <c>checksum</c> is the sha256
/// hex of <c>template_content</c>.
/// </summary>
public sealed record StackTemplate(
    Guid Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt,
    Guid? GeneratorId,
    string Name,
    string? Description,
    int Version,
    string TemplateContent,
    string ParametersSchema,
    string Checksum)
{
    internal static StackTemplate From(StackTemplateRow row)
        => new(row.Id, row.CreatedAt, row.UpdatedAt, row.DeletedAt, row.GeneratorId, row.Name, row.Description, row.Version,
            row.TemplateContent, row.ParametersSchema, row.Checksum);
}

/// <summary>The reference's <c>TemplateLabel</c>.</summary>
public sealed record TemplateLabel(Guid Id, Guid TemplateId, string Label, DateTime CreatedAt)
{
    internal static TemplateLabel From(TemplateLabelRow row) => new(row.Id, row.TemplateId, row.Label, row.CreatedAt);
}

/// <summary>The reference's <c>TemplateAnnotation</c>.</summary>
public sealed record TemplateAnnotation(Guid Id, Guid TemplateId, string Key, string Value, DateTime CreatedAt)
{
    internal static TemplateAnnotation From(TemplateAnnotationRow row) => new(row.Id, row.TemplateId, row.Key, row.Value, row.CreatedAt);
}
