using Mediator;

namespace Brokkr.Contracts.Cli;

/// <summary>A new agent or generator and its PAK, which is shown once and never stored.</summary>
public sealed record CliCreated(Guid Id, string Pak);

/// <summary>
/// <c>rotate agent</c>: gives the agent a new PAK and returns it. Like the API rotation, the handler
/// publishes <c>PakChanged</c> (so running brokers drop the old identity) and audits <c>pak.rotated</c>
/// with <c>{via: "cli"}</c>. An unknown agent is a 404 <c>agent_not_found</c>.
/// </summary>
public sealed record RotateAgentPak(Guid AgentId) : ICommand<string>;

/// <summary><c>rotate generator</c>: as <see cref="RotateAgentPak"/>, for a generator (404 <c>generator_not_found</c>).</summary>
public sealed record RotateGeneratorPak(Guid GeneratorId) : ICommand<string>;

/// <summary><c>create generator</c>: as <c>POST /generators</c>, audited with <c>{via: "cli"}</c>.</summary>
public sealed record CreateGenerator(string Name, string? Description) : ICommand<CliCreated>;

/// <summary>
/// <c>create agent</c>: as <c>POST /agents</c>, so the agent is registered with the system generator
/// and every listed generator (400 <c>invalid_generator_id</c> when one does not exist); audited with
/// <c>{via: "cli"}</c>.
/// </summary>
public sealed record CreateAgent(string Name, string ClusterName, IReadOnlyList<Guid> GeneratorIds) : ICommand<CliCreated>;
