using System.Globalization;
using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Apply;

/// <summary>Renders ownership as <c>metadata.managedFields</c> in the FieldsV1 format.</summary>
internal static class ManagedFieldsRenderer
{
    public static JsonArray Render(IReadOnlyList<ManagedEntry> managers)
    {
        var array = new JsonArray();
        foreach (var entry in managers)
        {
            var item = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldsV1(entry.Fields),
            };
            if (entry.Subresource.Length > 0)
            {
                item["subresource"] = entry.Subresource;
            }

            array.Add(item);
        }

        return array;
    }

    private static JsonObject FieldsV1(IReadOnlySet<FieldPath> fields)
    {
        var root = new JsonObject();
        foreach (var field in fields.OrderBy(f => f.ToString(), StringComparer.Ordinal))
        {
            var node = root;
            foreach (var segment in field.Segments)
            {
                var item = ItemKey.IsItem(segment);
                var key = item ? segment : "f:" + segment;
                if (node[key] is not JsonObject next)
                {
                    // "." marks that the manager owns the list item itself, as structured-merge-diff writes it.
                    next = item ? new JsonObject { ["."] = new JsonObject() } : new JsonObject();
                    node[key] = next;
                }

                node = next;
            }
        }

        return root;
    }
}
