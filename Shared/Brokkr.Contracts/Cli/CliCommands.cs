using Mediator;

namespace Brokkr.Contracts.Cli;

/// <summary>What a host command created: the id and the PAK, shown once.</summary>
public sealed record CliCreated(Guid Id, string Pak);

/// <summary><c>rotate agent &lt;id&gt;</c>: returns the new PAK.</summary>
public sealed record RotateAgentPak(Guid AgentId) : ICommand<string>;

/// <summary><c>rotate generator &lt;id&gt;</c>: returns the new PAK.</summary>
public sealed record RotateGeneratorPak(Guid GeneratorId) : ICommand<string>;

/// <summary><c>create generator --name [--description]</c>.</summary>
public sealed record CreateGenerator(string Name, string? Description) : ICommand<CliCreated>;

/// <summary><c>create agent --name --cluster-name [--generator-ids]</c>.</summary>
public sealed record CreateAgent(string Name, string ClusterName, IReadOnlyList<Guid> GeneratorIds) : ICommand<CliCreated>;
