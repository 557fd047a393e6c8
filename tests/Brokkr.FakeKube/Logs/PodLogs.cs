using System.Collections.Concurrent;

namespace Brokkr.FakeKube.Logs;

/// <summary>The text <c>pods/log</c> serves, set by tests per pod and optionally per container.</summary>
internal sealed class PodLogs
{
    private readonly ConcurrentDictionary<(string Ns, string Pod, string Container), string> _logs = new();

    public void Set(string ns, string pod, string? container, string text) => _logs[(ns, pod, container ?? string.Empty)] = text;

    public void Append(string ns, string pod, string? container, string text) =>
        _logs.AddOrUpdate((ns, pod, container ?? string.Empty), text, (_, existing) => existing + text);

    /// <summary>The container's own log, else the pod-wide one.</summary>
    public string Get(string ns, string pod, string? container) =>
        container is not null && _logs.TryGetValue((ns, pod, container), out var own)
            ? own
            : _logs.GetValueOrDefault((ns, pod, string.Empty), string.Empty);

    public void Forget(string ns, string pod)
    {
        foreach (var key in _logs.Keys.Where(k => k.Ns == ns && k.Pod == pod))
        {
            _logs.TryRemove(key, out _);
        }
    }

    public void Clear() => _logs.Clear();
}
