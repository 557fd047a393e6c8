namespace Brokkr.Agents.Api;

/// <summary>The reference's <c>AgentLabel</c>.</summary>
public sealed record AgentLabel(Guid Id, Guid AgentId, string Label);

/// <summary>The reference's <c>AgentAnnotation</c>.</summary>
public sealed record AgentAnnotation(Guid Id, Guid AgentId, string Key, string Value);

/// <summary>The reference's <c>AgentTarget</c>: an explicit "this agent deploys this stack".</summary>
public sealed record AgentTarget(Guid Id, Guid AgentId, Guid StackId);

/// <summary>
/// The reference's <c>AgentGeneratorRegistration</c> as listed under an agent. Same JSON shape as the
/// Generators module's type; a different C# name because schema ids must be unique.
/// </summary>
public sealed record AgentRegistration(Guid Id, Guid AgentId, Guid GeneratorId, DateTime RegisteredAt);
