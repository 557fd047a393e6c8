using LinqToDB.Mapping;

namespace Brokkr.Agents.Data;

/// <summary>Read-only view of the Stacks module's table, for ownership checks on targets.</summary>
[Table("stacks")]
internal sealed class StackView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
    [Column("generator_id")] public Guid GeneratorId { get; set; }
}

/// <summary>Read-only view of the Generators module's registrations (the consent gate).</summary>
[Table("agent_generator_registrations")]
internal sealed class RegistrationView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("agent_id")] public Guid AgentId { get; set; }
    [Column("generator_id")] public Guid GeneratorId { get; set; }
    [Column("registered_at")] public DateTime RegisteredAt { get; set; }
}

/// <summary>Read-only view of the Generators module's table: which generators are live.</summary>
[Table("generators")]
internal sealed class GeneratorView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}

/// <summary>Read-only view of the Stacks module's revisions: events are listed only while theirs is live.</summary>
[Table("deployment_objects")]
internal sealed class DeploymentObjectView
{
    [Column("id"), PrimaryKey] public Guid Id { get; set; }
    [Column("deleted_at")] public DateTime? DeletedAt { get; set; }
}
