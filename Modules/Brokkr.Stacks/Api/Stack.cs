using Brokkr.Stacks.Data;

namespace Brokkr.Stacks.Api;

/// <summary>
/// The reference's <c>Stack</c>: a named unit of desired state, owned by a generator. Also the body
/// of <c>PUT /stacks/{id}</c>, where <c>deleted_at</c> and <c>description</c> may be left out.
/// </summary>
public sealed record Stack
{
    public required Guid Id { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }
    public DateTime? DeletedAt { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required Guid GeneratorId { get; init; }

    internal static Stack From(StackRow row) => new()
    {
        Id = row.Id,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
        DeletedAt = row.DeletedAt,
        Name = row.Name,
        Description = row.Description,
        GeneratorId = row.GeneratorId,
    };
}

/// <summary>The reference's <c>StackLabel</c>.</summary>
public sealed record StackLabel(Guid Id, Guid StackId, string Label)
{
    internal static StackLabel From(StackLabelRow row) => new(row.Id, row.StackId, row.Label);
}

/// <summary>The reference's <c>StackAnnotation</c>.</summary>
public sealed record StackAnnotation(Guid Id, Guid StackId, string Key, string Value)
{
    internal static StackAnnotation From(StackAnnotationRow row) => new(row.Id, row.StackId, row.Key, row.Value);
}
