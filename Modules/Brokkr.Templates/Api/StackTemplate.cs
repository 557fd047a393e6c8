using Brokkr.Templates.Data;

namespace Brokkr.Templates.Api;

/// <summary>
/// The reference's <c>StackTemplate</c>: one version of a template. <c>generator_id</c> is null for a
/// system template; <c>parameters_schema</c> is JSON Schema as text; <c>checksum</c> is the sha256
/// hex of <c>template_content</c>.
/// </summary>
public sealed record StackTemplate
{
    public required Guid Id { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }
    public DateTime? DeletedAt { get; init; }
    public Guid? GeneratorId { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required int Version { get; init; }
    public required string TemplateContent { get; init; }
    public required string ParametersSchema { get; init; }
    public required string Checksum { get; init; }

    internal static StackTemplate From(StackTemplateRow row) => new()
    {
        Id = row.Id,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
        DeletedAt = row.DeletedAt,
        GeneratorId = row.GeneratorId,
        Name = row.Name,
        Description = row.Description,
        Version = row.Version,
        TemplateContent = row.TemplateContent,
        ParametersSchema = row.ParametersSchema,
        Checksum = row.Checksum,
    };
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
