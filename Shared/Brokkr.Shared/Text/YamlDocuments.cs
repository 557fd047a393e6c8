using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Brokkr.Shared.Text;

/// <summary>
/// Checks a multi-document YAML bundle by streaming parser events, without building a model, so
/// deep nesting or alias bombs in hostile input cannot exhaust the stack or memory.
/// </summary>
public static class YamlDocuments
{
    public const int MaxDepth = 256;

    /// <summary>
    /// Null when valid; otherwise the reason. Valid means it parses, every alias names an anchor defined
    /// before it in its document, and at least one document is not null.
    /// </summary>
    public static string? Problem(string yaml)
    {
        try
        {
            var parser = new Parser(new StringReader(yaml));
            var depth = 0;
            var nonNullDocuments = 0;
            var documentHasContent = false;
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
                        documentHasContent = false;
                        anchors.Clear();
                        break;
                    case AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        return $"YAML refers to an undefined anchor '{alias.Value.Value}'";
                    case MappingStart or SequenceStart:
                        documentHasContent = true;
                        if (++depth > MaxDepth)
                        {
                            return $"YAML is nested deeper than {MaxDepth} levels";
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                    case Scalar scalar when depth == 0:
                        documentHasContent |= !IsNull(scalar);
                        break;
                    case AnchorAlias when depth == 0:
                        documentHasContent = true;
                        break;
                    case DocumentEnd:
                        nonNullDocuments += documentHasContent ? 1 : 0;
                        break;
                }
            }

            return nonNullDocuments == 0 ? "YAML contains no document" : null;
        }
        catch (Exception ex) when (ex is YamlException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            return $"Invalid YAML: {ex.Message}";
        }
    }

    private static bool IsNull(Scalar scalar)
        => scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
}
