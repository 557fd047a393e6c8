using System.Globalization;
using System.Text.RegularExpressions;

namespace Brokkr.FakeKube.Selectors;

/// <summary>
/// The label selector syntax of <c>?labelSelector=</c>: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>,
/// <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;1</c>, <c>k&lt;1</c>, joined by commas.
/// </summary>
internal sealed partial class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        return new LabelSelector(SplitTerms(text).Select(ParseTerm).ToList());
    }

    private static LabelRequirement ParseTerm(string term)
    {
        if (term.Length == 0)
        {
            throw Invalid(term, "found '', expected: identifier");
        }

        if (term.StartsWith('!'))
        {
            return new LabelRequirement(Key(term[1..].Trim(), term), LabelOperator.DoesNotExist, []);
        }

        var set = SetTerm().Match(term);
        if (set.Success)
        {
            var values = set.Groups["values"].Value.Split(',').Select(v => Value(v.Trim(), term)).ToList();
            var op = set.Groups["op"].Value == "in" ? LabelOperator.In : LabelOperator.NotIn;
            return new LabelRequirement(Key(set.Groups["key"].Value, term), op, values);
        }

        var binary = BinaryTerm().Match(term);
        if (binary.Success)
        {
            var key = Key(binary.Groups["key"].Value, term);
            var value = binary.Groups["value"].Value.Trim();
            return binary.Groups["op"].Value switch
            {
                "!=" => new LabelRequirement(key, LabelOperator.NotEquals, [Value(value, term)]),
                ">" => new LabelRequirement(key, LabelOperator.GreaterThan, [Integer(value, term)]),
                "<" => new LabelRequirement(key, LabelOperator.LessThan, [Integer(value, term)]),
                _ => new LabelRequirement(key, LabelOperator.Equals, [Value(value, term)]),
            };
        }

        return new LabelRequirement(Key(term, term), LabelOperator.Exists, []);
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i].Trim();
                start = i + 1;
            }
        }

        yield return text[start..].Trim();
    }

    private static string Key(string key, string term) =>
        LabelSyntax.IsQualifiedName(key) ? key : throw Invalid(term, $"invalid label key \"{key}\"");

    private static string Value(string value, string term) =>
        LabelSyntax.IsValue(value) ? value : throw Invalid(term, $"invalid label value: \"{value}\"");

    private static string Integer(string value, string term) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            ? value
            : throw Invalid(term, $"for 'Gt', 'Lt' operators, the value must be an integer: \"{value}\"");

    private static SelectorException Invalid(string term, string reason) =>
        new($"unable to parse requirement: {reason} in \"{term}\"");

    [GeneratedRegex(@"^(?<key>[^\s!=<>(),]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^(?<key>[^\s!=<>(),]+)\s*(?<op>==|=|!=|<|>)\s*(?<value>[^=!<>(),]*)$")]
    private static partial Regex BinaryTerm();
}
