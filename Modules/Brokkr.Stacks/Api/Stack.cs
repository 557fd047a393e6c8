using Brokkr.Stacks.Data;

namespace Brokkr.Stacks.Api;

/// <summary>The reference's <c>Stack</c>: a named unit of desired state, owned by a generator.</summary>
public sealed record Stack(Guid Id, DateTime CreatedAt, DateTime UpdatedAt, DateTime? DeletedAt, string Name, string? Description, Guid GeneratorId)
{
    internal static Stack From(StackRow row) => new(row.Id, row.CreatedAt, row.UpdatedAt, row.DeletedAt, row.Name, row.Description, row.GeneratorId);
}

/// <summary>The reference's <c>StackLabel</c>.</summary>
public sealed record StackLabel(Guid Id, Guid StackId, string Label);

/// <summary>The reference's <c>StackAnnotation</c>.</summary>
public sealed record StackAnnotation(Guid Id, Guid StackId, string Key, string Value);
