namespace Brokkr.Realtime.Api;

/// <summary>The reference's <c>WsConnectionsResponse</c>: agent sockets and live stack subscribers across all replicas.</summary>
public sealed record WsConnectionsResponse(long ConnectedAgents, IReadOnlyList<WsConnectionInfo> Connections, long LiveSubscribers);

/// <summary>The reference's <c>WsConnectionInfo</c>: one agent's socket and the frames it exchanged.</summary>
public sealed record WsConnectionInfo(Guid AgentId, DateTime ConnectedSince, long MessagesIn, long MessagesOut);
