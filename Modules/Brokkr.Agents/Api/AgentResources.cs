namespace Brokkr.Agents.Api;

/// <summary>The reference's <c>AgentLabel</c>.</summary>
public sealed record AgentLabel(Guid Id, Guid AgentId, string Label);

/// <summary>The reference's <c>AgentAnnotation</c>.</summary>
public sealed record AgentAnnotation(Guid Id, Guid AgentId, string Key, string Value);

/// <summary>The reference's <c>AgentTarget</c>: an explicit "this agent deploys this stack".</summary>
public sealed record AgentTarget(Guid Id, Guid AgentId, Guid StackId);
