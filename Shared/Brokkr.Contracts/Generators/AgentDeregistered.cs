using Mediator;

namespace Brokkr.Contracts.Generators;

/// <summary>An agent left a generator: its explicit targets to that generator's stacks go too.</summary>
public sealed record AgentDeregistered(Guid AgentId, Guid GeneratorId) : INotification;
