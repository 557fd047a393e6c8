using System.Globalization;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Api;
using Brokkr.FakeKube.Apply;
using Brokkr.FakeKube.Discovery;
using Brokkr.FakeKube.Hosting;
using Brokkr.FakeKube.Store;

namespace Brokkr.FakeKube.Objects;

/// <summary>
/// The write verbs as the real server performs them, independent of HTTP so that the in-process handle
/// writes exactly as a client would: namespace checks, validation, ownership, generation, dry run.
/// </summary>
internal sealed class ObjectWriter(FakeKubeState state)
{
    public StoredObject Create(ResourceType type, string? ns, JsonObject input, string manager, bool dryRun)
    {
        var prepared = ObjectLifecycle.PrepareCreate(type, input, ns ?? string.Empty, state.Now, state.Options);
        ObjectValidation.Validate(type, prepared);
        var name = prepared["metadata"]!["name"]!.ToString();
        var managers = FieldOwnership.RecordUpdate(
            null, prepared, [], manager, type.GroupVersion, FieldSchema.For(type, ""), state.Now);
        return state.Store.Write(FakeKubeState.KeyOf(type, ns, name), live =>
        {
            RequireNamespace(type, ns);
            return live is null ? new Proposal(prepared, managers) : throw ApiException.AlreadyExists(type, name);
        }, dryRun);
    }

    public StoredObject Replace(ResourceType type, string? ns, string name, string subresource, JsonObject input, string manager, bool dryRun)
    {
        var expectedVersion = input["metadata"]?["resourceVersion"]?.ToString() is { Length: > 0 } v ? v : null;
        return Update(type, ns, name, subresource, manager, dryRun, expectedVersion, _ => input);
    }

    public StoredObject Patch(
        ResourceType type, string? ns, string name, string subresource, string manager, bool dryRun, Func<JsonObject, JsonObject> patch) =>
        Update(type, ns, name, subresource, manager, dryRun, expectedVersion: null, live =>
        {
            try
            {
                return patch(live);
            }
            catch (InvalidPatchException e)
            {
                throw new ApiException(422, "Invalid", e.Message);
            }
        });

    public (StoredObject Stored, bool Created) Apply(
        ResourceType type, string? ns, string name, string subresource, JsonObject applied, string manager, bool force, bool dryRun)
    {
        var expectedVersion = applied["metadata"]?["resourceVersion"]?.ToString() is { Length: > 0 } v ? v : null;
        var scope = FieldSchema.For(type, subresource);
        var created = false;
        try
        {
            var stored = state.Store.Write(FakeKubeState.KeyOf(type, ns, name), live =>
            {
                RequireNamespace(type, ns);
                if (expectedVersion is not null && expectedVersion != live?.ResourceVersion.ToString(CultureInfo.InvariantCulture))
                {
                    throw ApiException.Modified(type, name);
                }

                created = live is null;
                if (live is null)
                {
                    if (subresource.Length > 0)
                    {
                        throw ApiException.NotFound(type, name);
                    }

                    var seed = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } };
                    var first = FieldOwnership.Apply(seed, [], applied, manager, force: false, type.GroupVersion, scope, state.Now);
                    var createdBody = ObjectLifecycle.PrepareCreate(type, first.Body, ns ?? string.Empty, state.Now, state.Options);
                    ObjectValidation.Validate(type, createdBody);
                    return new Proposal(createdBody, first.Managers);
                }

                var result = FieldOwnership.Apply(
                    live.Body, live.Managers, applied, manager, force, type.GroupVersion, scope, state.Now, subresource);
                var body = ObjectLifecycle.PrepareUpdate(type, live.Body, result.Body, subresource);
                ObjectValidation.Validate(type, body);
                return new Proposal(body, result.Managers);
            }, dryRun);
            return (stored, created);
        }
        catch (ApplyConflictException conflict)
        {
            throw Conflict(type, name, conflict);
        }
    }

    private StoredObject Update(
        ResourceType type,
        string? ns,
        string name,
        string subresource,
        string manager,
        bool dryRun,
        string? expectedVersion,
        Func<JsonObject, JsonObject> change)
    {
        var scope = FieldSchema.For(type, subresource);
        return state.Store.Write(FakeKubeState.KeyOf(type, ns, name), live =>
        {
            if (live is null)
            {
                throw ApiException.NotFound(type, name);
            }

            if (expectedVersion is not null && expectedVersion != live.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Modified(type, name);
            }

            var body = ObjectLifecycle.PrepareUpdate(type, live.Body, change(live.Body), subresource);
            ObjectValidation.Validate(type, body);
            var managers = FieldOwnership.RecordUpdate(
                live.Body, body, live.Managers, manager, type.GroupVersion, scope, state.Now, subresource);
            return new Proposal(body, managers);
        }, dryRun);
    }

    private void RequireNamespace(ResourceType type, string? ns)
    {
        if (type.Namespaced)
        {
            state.RequireNamespace(ns ?? string.Empty);
        }
    }

    private static ApiException Conflict(ResourceType type, string name, ApplyConflictException conflict)
    {
        var details = ApiException.Detail(type, name);
        details["causes"] = new JsonArray(conflict.Conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = c.Owner,
            ["field"] = c.Field.ToString(),
        }).ToArray());
        return new ApiException(409, "Conflict", conflict.Message, details);
    }
}
