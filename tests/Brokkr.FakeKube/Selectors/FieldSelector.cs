using System.Text.Json;
using System.Text.Json.Nodes;

namespace Brokkr.FakeKube.Selectors;

/// <summary>
/// <c>?fieldSelector=</c> with <c>=</c>, <c>==</c> and <c>!=</c> over dotted paths such as
/// <c>metadata.name</c>, <c>metadata.namespace</c>, <c>status.phase</c> or <c>involvedObject.uid</c>.
/// Unlike the real server, any path is accepted; a missing field reads as the empty string.
/// </summary>
internal sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Path, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            var equal = term.IndexOf('=');
            if (notEqual > 0)
            {
                terms.Add((term[..notEqual].Trim(), false, term[(notEqual + 2)..].Trim()));
            }
            else if (equal > 0)
            {
                var value = term[(equal + 1)..].TrimStart('=').Trim();
                terms.Add((term[..equal].Trim(), true, value));
            }
            else
            {
                throw new SelectorException($"invalid selector: '{text}'; can't understand '{term}'");
            }
        }

        return new FieldSelector(terms);
    }

    /// <summary>The name this selector pins, if any: lets a watch or list of one object skip the rest.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Path == "metadata.name" && t.Equal).Value;

    public bool Matches(JsonObject obj) =>
        _terms.All(t => string.Equals(Read(obj, t.Path), t.Value, StringComparison.Ordinal) == t.Equal);

    private static string Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject map ? map[segment] : null;
        }

        return node is JsonValue value
            ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()
            : string.Empty;
    }
}
