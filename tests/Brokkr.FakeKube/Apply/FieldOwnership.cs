using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>
/// Server-side apply and ownership tracking, modelled on structured-merge-diff: an apply sets the fields
/// of its configuration, removes the fields its manager applied before but no longer does (unless another
/// manager still owns them), and conflicts when it would change a value another manager owns. Items of
/// associative lists are fields of their own; other lists are atomic values.
/// </summary>
internal static class FieldOwnership
{
    public sealed record Result(JsonObject Body, IReadOnlyList<ManagedEntry> Managers);

    public static Result Apply(
        JsonObject live,
        IReadOnlyList<ManagedEntry> managers,
        JsonObject applied,
        string manager,
        bool force,
        string apiVersion,
        FieldSchema schema,
        DateTimeOffset now,
        string subresource = "")
    {
        var appliedOrder = JsonTree.Leaves(applied, schema);
        var appliedFields = appliedOrder.ToHashSet();
        var conflicts = FindConflicts(live, managers, applied, appliedFields, manager, subresource);
        if (conflicts.Count > 0 && !force)
        {
            throw new ApplyConflictException(conflicts);
        }

        var previous = managers.FirstOrDefault(m => m.IsSameManager(manager, ManagedEntry.ApplyOperation, subresource));
        var others = managers
            .Where(m => previous is null || !m.IsSameManager(previous))
            .Select(m => Without(m, conflicts.Where(c => c.Manager == m.Manager && c.Subresource == m.Subresource).Select(c => c.Field)))
            .ToList();

        var body = (JsonObject)live.DeepClone();
        // Key fields go last: an item stripped of its key can no longer be found by it.
        foreach (var dropped in (previous?.Fields.Except(appliedFields) ?? []).OrderBy(IsItemKeyField))
        {
            if (!others.Any(m => m.Fields.Contains(dropped)))
            {
                JsonTree.Remove(body, dropped);
            }
        }

        foreach (var field in appliedOrder)
        {
            JsonTree.Set(body, field, JsonTree.Get(applied, field));
        }

        // The entry keeps its place, so that re-applying the same configuration is recognisably a no-op.
        var entry = new ManagedEntry(manager, ManagedEntry.ApplyOperation, subresource, apiVersion, now, appliedFields);
        var updated = previous is null
            ? [.. others, entry]
            : managers.Select(m => m.IsSameManager(previous) ? entry : others.First(o => o.IsSameManager(m))).ToList();
        return new Result(body, Normalise(updated));
    }

    /// <summary>
    /// Ownership after a non-apply write (create, replace, patch): the writer takes every field whose
    /// value it changed, and fields it removed leave every manager.
    /// </summary>
    public static IReadOnlyList<ManagedEntry> RecordUpdate(
        JsonObject? before,
        JsonObject after,
        IReadOnlyList<ManagedEntry> managers,
        string manager,
        string apiVersion,
        FieldSchema schema,
        DateTimeOffset now,
        string subresource = "")
    {
        var afterFields = JsonTree.Leaves(after, schema).ToHashSet();
        var beforeFields = before is null ? [] : JsonTree.Leaves(before, schema).ToHashSet();
        var changed = afterFields
            .Where(f => before is null || !JsonTree.ValueEquals(JsonTree.Get(before, f), JsonTree.Get(after, f)))
            .ToHashSet();
        var removed = beforeFields.Where(f => !afterFields.Contains(f)).ToHashSet();
        if (changed.Count == 0 && removed.Count == 0)
        {
            return managers;
        }

        var updated = managers
            .Select(m => m.IsSameManager(manager, ManagedEntry.UpdateOperation, subresource)
                ? m with { Fields = m.Fields.Except(removed).Union(changed).ToHashSet(), Time = now, ApiVersion = apiVersion }
                : Without(m, changed.Concat(removed)))
            .ToList();
        if (!updated.Any(m => m.IsSameManager(manager, ManagedEntry.UpdateOperation, subresource)))
        {
            updated.Add(new ManagedEntry(manager, ManagedEntry.UpdateOperation, subresource, apiVersion, now, changed));
        }

        return Normalise(updated);
    }

    private static List<ApplyConflict> FindConflicts(
        JsonObject live,
        IReadOnlyList<ManagedEntry> managers,
        JsonObject applied,
        HashSet<FieldPath> appliedFields,
        string manager,
        string subresource)
    {
        var conflicts = new List<ApplyConflict>();
        foreach (var other in managers)
        {
            if (other.IsSameManager(manager, ManagedEntry.ApplyOperation, subresource))
            {
                continue;
            }

            foreach (var field in appliedFields.Where(other.Fields.Contains).OrderBy(f => f.ToString(), StringComparer.Ordinal))
            {
                if (!JsonTree.ValueEquals(JsonTree.Get(live, field), JsonTree.Get(applied, field)))
                {
                    conflicts.Add(new ApplyConflict(other.Manager, other.ApiVersion, field, other.Subresource));
                }
            }
        }

        return conflicts;
    }

    private static bool IsItemKeyField(FieldPath path)
    {
        var segments = path.Segments;
        return segments.Count >= 2 && ItemKey.IsItem(segments[^2]) && ItemKey.Fields(segments[^2]).ContainsKey(segments[^1]);
    }

    private static ManagedEntry Without(ManagedEntry entry, IEnumerable<FieldPath> fields)
    {
        var remaining = entry.Fields.Except(fields).ToHashSet();
        return remaining.Count == entry.Fields.Count ? entry : entry with { Fields = remaining };
    }

    private static IReadOnlyList<ManagedEntry> Normalise(IEnumerable<ManagedEntry> managers) =>
        managers.Where(m => m.Fields.Count > 0).ToList();
}
