using Brokkr.Generators.Data;

namespace Brokkr.Generators.Api;

/// <summary>
/// The reference's <c>Generator</c>, both the response and the full body of <c>PUT /generators/{id}</c>.
/// Required keys follow the reference schema (<c>deleted_at</c>, <c>description</c> and
/// <c>last_active_at</c> may be left out of a body); <c>pak_hash</c> is never output.
/// </summary>
public sealed record Generator
{
    public required Guid Id { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }
    public DateTime? DeletedAt { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public DateTime? LastActiveAt { get; init; }
    public required bool IsActive { get; init; }
    public required bool IsSystem { get; init; }

    internal static Generator From(GeneratorRow row) => new()
    {
        Id = row.Id,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
        DeletedAt = row.DeletedAt,
        Name = row.Name,
        Description = row.Description,
        LastActiveAt = row.LastActiveAt,
        IsActive = row.IsActive,
        IsSystem = row.IsSystem,
    };
}

/// <summary>The reference's <c>CreateGeneratorResponse</c>: a generator and its PAK, shown once (create and rotate-pak).</summary>
public sealed record CreateGeneratorResponse(Generator Generator, string Pak);

/// <summary>
/// The reference's <c>AgentRegistrationBody</c> of <c>POST</c>/<c>DELETE /generators/{id}/register</c>:
/// admin names the agent; an agent's own id comes from its PAK and a body id is ignored.
/// </summary>
public sealed record AgentRegistrationBody(Guid? AgentId = null);
