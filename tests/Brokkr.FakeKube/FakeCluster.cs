using System.Text.Json.Nodes;
using Brokkr.FakeKube.Api;
using Brokkr.FakeKube.Apply;
using Brokkr.FakeKube.Discovery;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Selectors;

namespace Brokkr.FakeKube;

/// <summary>
/// The cluster state of a fake server, for tests: seed objects, read them, and play the controllers the
/// fake does not have by setting status and pod logs. Writes go through the same rules as API writes,
/// so watchers see them; failures throw <see cref="FakeKubeException"/> with the Status the API would send.
/// </summary>
public sealed class FakeCluster
{
    public const string DefaultManager = "fake-kube";

    private readonly FakeKubeState _state;

    internal FakeCluster(FakeKubeState state) => _state = state;

    /// <summary>The current resourceVersion; it moves on every stored change.</summary>
    public long ResourceVersion => _state.Store.Version;

    /// <summary>Server-side applies a manifest; a namespaced object without a namespace goes to "default".</summary>
    public JsonObject Apply(JsonObject manifest, string fieldManager = DefaultManager, bool force = true) => Guard(() =>
    {
        var type = TypeOf(manifest);
        var ns = type.Namespaced ? manifest["metadata"]?["namespace"]?.ToString() is { Length: > 0 } given ? given : "default" : null;
        var name = manifest["metadata"]?["name"]?.ToString() ?? throw ApiException.BadRequest("metadata.name is required");
        var (stored, _) = new Objects.ObjectWriter(_state).Apply(type, ns, name, "", manifest, fieldManager, force, dryRun: false);
        return stored.CloneBody();
    });

    /// <summary>Parses a JSON or YAML manifest and applies it.</summary>
    public JsonObject Apply(string manifest, string fieldManager = DefaultManager) =>
        Apply(Serialization.KubeJson.ParseBody(manifest, allowYaml: true)?.AsObject()
              ?? throw new ArgumentException("the manifest is empty", nameof(manifest)), fieldManager);

    public JsonObject? Get(string apiVersion, string kind, string? ns, string name) => Guard(() =>
        _state.Store.Get(FakeKubeState.KeyOf(_state.RequireType(apiVersion, kind), ns, name))?.CloneBody());

    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null, string? labelSelector = null) => Guard(() =>
    {
        var type = _state.RequireType(apiVersion, kind);
        var selector = LabelSelector.Parse(labelSelector);
        return _state.Store.List(type.QualifiedName, type.Namespaced ? ns : null, o => selector.Matches(o.Labels))
            .Items.Select(o => o.CloneBody()).ToList();
    });

    public int Count(string apiVersion, string kind) => Guard(() => _state.Store.Count(_state.RequireType(apiVersion, kind).QualifiedName));

    /// <summary>Deletes an object (and its dependents), or marks it for deletion if it has finalizers; false when it did not exist.</summary>
    public bool Delete(string apiVersion, string kind, string? ns, string name) => Guard(() =>
        _state.Store.Delete(FakeKubeState.KeyOf(_state.RequireType(apiVersion, kind), ns, name), orphanDependents: false, dryRun: false) is not null);

    /// <summary>Replaces the whole status, as a controller would through the status subresource.</summary>
    public JsonObject SetStatus(string apiVersion, string kind, string? ns, string name, JsonObject status) =>
        WriteStatus(apiVersion, kind, ns, name, live => MergePatch.Apply(WithoutStatus(live), new JsonObject { ["status"] = status.DeepClone() }));

    /// <summary>Merges into the status (RFC 7386: nulls remove fields, lists are replaced).</summary>
    public JsonObject PatchStatus(string apiVersion, string kind, string? ns, string name, JsonObject statusPatch) =>
        WriteStatus(apiVersion, kind, ns, name, live => MergePatch.Apply(live, new JsonObject { ["status"] = statusPatch.DeepClone() }));

    /// <summary>
    /// Records a core/v1 Event about an object, as a controller or the kubelet would (e.g. reason
    /// <c>BackOff</c>, type <c>Warning</c>), in the object's namespace or "default".
    /// </summary>
    public JsonObject RecordEvent(JsonObject involvedObject, string reason, string message, string type = "Normal")
    {
        var metadata = involvedObject["metadata"];
        var name = metadata?["name"]?.ToString() ?? throw new ArgumentException("the involved object has no name", nameof(involvedObject));
        var ns = metadata["namespace"]?.ToString() is { Length: > 0 } given ? given : "default";
        var now = Objects.ObjectLifecycle.Timestamp(_state.Now);
        return Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{name}.{Guid.NewGuid():N}"[..(name.Length + 17)], ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = involvedObject["apiVersion"]?.DeepClone(),
                ["kind"] = involvedObject["kind"]?.DeepClone(),
                ["name"] = name,
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
            },
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = type,
            ["count"] = 1,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["source"] = new JsonObject { ["component"] = DefaultManager },
        });
    }

    public void SetPodLog(string ns, string pod, string text, string? container = null) => _state.Logs.Set(ns, pod, container, text);

    public void AppendPodLog(string ns, string pod, string text, string? container = null) => _state.Logs.Append(ns, pod, container, text);

    /// <summary>Removes every object and log and recreates the initial namespaces.</summary>
    public void Reset() => _state.Reset();

    internal JsonObject WriteStatus(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> change) => Guard(() =>
        new Objects.ObjectWriter(_state)
            .Patch(type, type.Namespaced ? ns : null, name, "status", DefaultManager, dryRun: false, change)
            .CloneBody());

    private JsonObject WriteStatus(string apiVersion, string kind, string? ns, string name, Func<JsonObject, JsonObject> change) =>
        WriteStatus(Guard(() => _state.RequireType(apiVersion, kind)), ns, name, change);

    private static JsonObject WithoutStatus(JsonObject live)
    {
        var copy = (JsonObject)live.DeepClone();
        copy.Remove("status");
        return copy;
    }

    private ResourceType TypeOf(JsonObject manifest) =>
        _state.RequireType(
            manifest["apiVersion"]?.ToString() ?? throw ApiException.BadRequest("apiVersion is required"),
            manifest["kind"]?.ToString() ?? throw ApiException.BadRequest("kind is required"));

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ApiException e)
        {
            throw new FakeKubeException(e.Code, e.Reason, e.Message);
        }
    }
}
