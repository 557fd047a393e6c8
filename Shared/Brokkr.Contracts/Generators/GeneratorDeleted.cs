using Mediator;

namespace Brokkr.Contracts.Generators;

/// <summary>A generator was soft-deleted; owners of its stacks and templates cascade.</summary>
public sealed record GeneratorDeleted(Guid GeneratorId, DateTime DeletedAt) : INotification;
