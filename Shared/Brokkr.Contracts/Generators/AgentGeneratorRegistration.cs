namespace Brokkr.Contracts.Generators;

/// <summary>
/// The reference's <c>AgentGeneratorRegistration</c>: an agent's consent to a generator, as listed under
/// the generator (Generators) and under the agent (Agents).
/// </summary>
public sealed record AgentGeneratorRegistration(Guid Id, Guid AgentId, Guid GeneratorId, DateTime RegisteredAt);
