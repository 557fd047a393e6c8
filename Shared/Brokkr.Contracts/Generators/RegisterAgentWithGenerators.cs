using Mediator;

namespace Brokkr.Contracts.Generators;

/// <summary>
/// Registers an agent with the system generator and the listed generators. Fails with
/// 400 invalid_generator_id when one of them does not exist.
/// </summary>
public sealed record RegisterAgentWithGenerators(Guid AgentId, IReadOnlyList<Guid> GeneratorIds) : ICommand;

/// <summary>Checks that every id names a live generator (400 invalid_generator_id otherwise).</summary>
public sealed record EnsureGeneratorsExist(IReadOnlyList<Guid> GeneratorIds) : IQuery<bool>;
