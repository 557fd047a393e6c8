using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Brokkr.Realtime.Channel;

/// <summary>The agent sockets this replica holds, one per agent: a new one replaces (and closes) the old.</summary>
internal sealed class AgentSockets
{
    public const string ReplacedReason = "replaced by a newer connection";

    private readonly ConcurrentDictionary<Guid, AgentConnection> _connections = new();

    public int Count => _connections.Count;

    public void Register(AgentConnection connection)
    {
        AgentConnection? previous = null;
        _connections.AddOrUpdate(connection.AgentId, connection, (_, existing) =>
        {
            previous = existing;
            return connection;
        });
        if (previous is not null && previous != connection)
        {
            previous.Close(WebSocketCloseStatus.NormalClosure, ReplacedReason);
        }
    }

    public bool Unregister(AgentConnection connection)
        => _connections.TryRemove(new KeyValuePair<Guid, AgentConnection>(connection.AgentId, connection));

    public bool TryGet(Guid agentId, out AgentConnection connection) => _connections.TryGetValue(agentId, out connection!);

    public void Deliver(IEnumerable<Guid> agentIds, OutboundFrame frame)
    {
        foreach (var agentId in agentIds)
        {
            if (_connections.TryGetValue(agentId, out var connection))
            {
                connection.TryEnqueue(frame);
            }
        }
    }

    public void Close(Guid agentId, WebSocketCloseStatus status, string reason)
    {
        if (_connections.TryGetValue(agentId, out var connection))
        {
            connection.Close(status, reason);
        }
    }

    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var connection in _connections.Values)
        {
            connection.Close(status, reason);
        }
    }

    public IReadOnlyList<AgentConnection> Snapshot() => [.. _connections.Values];
}
