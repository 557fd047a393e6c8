using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Brokkr.Templates.Domain;

/// <summary>
/// The rendered output must be a deployment object the agent can apply: YAML that parses, with at
/// least one non-null document (the reference stored whatever the template produced). Checked by
/// streaming parser events, with a depth limit, so hostile output cannot exhaust the stack.
/// </summary>
internal static class RenderedYaml
{
    public const int MaxDepth = 256;

    /// <summary>Null when usable; otherwise why not.</summary>
    public static string? Problem(string yaml)
    {
        try
        {
            var parser = new Parser(new StringReader(yaml));
            var depth = 0;
            var documents = 0;
            var content = false;
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            while (parser.MoveNext())
            {
                if (parser.Current is NodeEvent { Anchor.IsEmpty: false } anchored)
                {
                    anchors.Add(anchored.Anchor.Value);
                }

                switch (parser.Current)
                {
                    case DocumentStart:
                        content = false;
                        anchors.Clear();
                        break;
                    case AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        return $"the rendered YAML refers to an undefined anchor '{alias.Value.Value}'";
                    case MappingStart or SequenceStart:
                        content = true;
                        if (++depth > MaxDepth)
                        {
                            return $"the rendered YAML is nested deeper than {MaxDepth} levels";
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                    case Scalar scalar when depth == 0:
                        content |= !(scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL");
                        break;
                    case AnchorAlias when depth == 0:
                        content = true;
                        break;
                    case DocumentEnd:
                        documents += content ? 1 : 0;
                        break;
                }
            }

            return documents == 0 ? "the rendered output contains no YAML document" : null;
        }
        catch (Exception ex) when (ex is YamlException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            return $"the rendered output is not valid YAML: {ex.Message}";
        }
    }
}
