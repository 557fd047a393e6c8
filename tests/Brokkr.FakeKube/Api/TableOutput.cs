using System.Globalization;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Discovery;

namespace Brokkr.FakeKube.Api;

/// <summary>
/// Server-side printing for kubectl's default output (<c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c>):
/// a Name and Age column, plus Status for pods and Ready for workloads.
/// </summary>
internal static class TableOutput
{
    public static bool Wanted(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject For(ResourceType type, IReadOnlyList<string> objects, long version)
    {
        var columns = new JsonArray(Column("Name", "name"));
        var extra = ExtraColumn(type);
        if (extra is not null)
        {
            columns.Add(Column(extra.Value.Title, "string"));
        }

        columns.Add(Column("Age", "string"));
        var rows = new JsonArray();
        foreach (var json in objects)
        {
            var obj = JsonNode.Parse(json)!.AsObject();
            var cells = new JsonArray(obj["metadata"]?["name"]?.ToString());
            if (extra is not null)
            {
                cells.Add(extra.Value.Read(obj));
            }

            cells.Add(Age(obj["metadata"]?["creationTimestamp"]?.ToString()));
            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                },
            });
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static (string Title, Func<JsonObject, string> Read)? ExtraColumn(ResourceType type) => (type.Group, type.Plural) switch
    {
        ("", "pods") => ("Status", o => o["status"]?["phase"]?.ToString() ?? string.Empty),
        ("", "namespaces") => ("Status", o => o["status"]?["phase"]?.ToString() ?? string.Empty),
        ("apps", _) => ("Ready", o => $"{o["status"]?["readyReplicas"] ?? 0}/{o["spec"]?["replicas"] ?? o["status"]?["desiredNumberScheduled"] ?? 1}"),
        _ => null,
    };

    private static JsonObject Column(string name, string format) => new()
    {
        ["name"] = name,
        ["type"] = "string",
        ["format"] = format == "name" ? "name" : string.Empty,
        ["description"] = name,
        ["priority"] = 0,
    };

    private static string Age(string? timestamp)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }

        var age = DateTimeOffset.UtcNow - created;
        return age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
