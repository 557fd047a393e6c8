using Brokkr.Contracts.Generators;
using LinqToDB.Mapping;

namespace Brokkr.Generators.Data;

[Table("agent_generator_registrations")]
internal sealed class RegistrationRow
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("generator_id")] public Guid GeneratorId { get; set; }
    [Column("registered_at")] public DateTime RegisteredAt { get; set; }

    public AgentGeneratorRegistration ToContract() => new(Id, AgentId, GeneratorId, RegisteredAt);
}

/// <summary>Read-only view of the Agents module's table: which agents exist.</summary>
[Table("agents")]
internal sealed class AgentView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}
