using Brokkr.Generators.Data;

namespace Brokkr.Generators.Api;

/// <summary>The reference's <c>Generator</c>; <c>pak_hash</c> is never output.</summary>
public sealed record Generator(
    Guid Id,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt,
    string Name,
    string? Description,
    DateTime? LastActiveAt,
    bool IsActive,
    bool IsSystem)
{
    internal static Generator From(GeneratorRow row) => new(
        row.Id, row.CreatedAt, row.UpdatedAt, row.DeletedAt, row.Name, row.Description, row.LastActiveAt, row.IsActive, row.IsSystem);
}

/// <summary>The reference's <c>AgentGeneratorRegistration</c>.</summary>
public sealed record AgentGeneratorRegistration(Guid Id, Guid AgentId, Guid GeneratorId, DateTime RegisteredAt)
{
    internal static AgentGeneratorRegistration From(RegistrationRow row) => new(row.Id, row.AgentId, row.GeneratorId, row.RegisteredAt);
}
