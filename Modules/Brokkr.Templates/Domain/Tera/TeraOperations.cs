using System.Globalization;
using static Brokkr.Templates.Domain.Tera.TeraValues;

namespace Brokkr.Templates.Domain.Tera;

/// <summary>Tera's operators, tests and <c>range</c> over normalized values: lookups, equality, ordering, <c>in</c> and arithmetic.</summary>
internal static class TeraOperations
{
    public const int MaxRangeItems = 100_000;

    public static object? Member(object? target, string key) => target switch
    {
        Dictionary<string, object?> map => map.TryGetValue(key, out var value) ? value : Missing.Value,
        _ => Missing.Value,
    };

    public static object? Index(object? target, object? index) => (target, index) switch
    {
        (List<object?> list, long i) when i >= 0 && i < list.Count => list[(int)i],
        (List<object?> list, double d) when d >= 0 && d < list.Count && d == Math.Floor(d) => list[(int)d],
        (Dictionary<string, object?> map, string key) => map.TryGetValue(key, out var value) ? value : Missing.Value,
        (Dictionary<string, object?> map, long i) => map.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out var value) ? value : Missing.Value,
        _ => Missing.Value,
    };

    public static object? ParseNumber(string text)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
            ? (object)integer
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (long or double, long or double) => Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture),
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => ValueEquals(p.First, p.Second)),
        (Dictionary<string, object?> x, Dictionary<string, object?> y)
            => x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var other) && ValueEquals(p.Value, other)),
        (null or Missing, null or Missing) => true,
        _ => Equals(a, b),
    };

    public static int Compare(object? left, object? right, string op) => (Normalize(left), Normalize(right)) switch
    {
        (long x, long y) => x.CompareTo(y),
        (long or double, long or double) => Convert.ToDouble(Normalize(left), CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(Normalize(right), CultureInfo.InvariantCulture)),
        (string x, string y) => string.CompareOrdinal(x, y),
        var (x, y) => throw Fail($"`{op}` cannot compare {TypeName(x)} with {TypeName(y)}"),
    };

    public static bool In(object? needle, object? haystack) => haystack switch
    {
        string text when needle is string part => text.Contains(part, StringComparison.Ordinal),
        List<object?> list => list.Any(item => ValueEquals(item, needle)),
        Dictionary<string, object?> map when needle is string key => map.ContainsKey(key),
        _ => throw Fail($"`in` cannot look for {TypeName(needle)} in {TypeName(haystack)}"),
    };

    public static object? Arithmetic(object? left, object? right, string op)
    {
        var (a, b) = (Normalize(left), Normalize(right));
        if (a is long x && b is long y)
        {
            try
            {
                // Each arm is boxed on its own: a switch of long and double arms would make every result a double.
                return op switch
                {
                    "+" => (object)checked(x + y),
                    "-" => checked(x - y),
                    "*" => checked(x * y),
                    "/" when y == 0 => throw Fail("Division by zero"),
                    "/" => x % y == 0 ? (object)(x / y) : (double)x / y,
                    _ when y == 0 => throw Fail("Modulo by zero"),
                    _ => x % y,
                };
            }
            catch (OverflowException)
            {
                return Arithmetic((double)x, (double)y, op);
            }
        }

        if (a is not (long or double) || b is not (long or double))
        {
            throw Fail($"`{op}` needs two numbers, not {TypeName(a)} and {TypeName(b)}");
        }

        var (p, q) = (Convert.ToDouble(a, CultureInfo.InvariantCulture), Convert.ToDouble(b, CultureInfo.InvariantCulture));
        if (op is "/" or "%" && q == 0)
        {
            throw Fail(op == "/" ? "Division by zero" : "Modulo by zero");
        }

        return op switch { "+" => p + q, "-" => p - q, "*" => p * q, "/" => p / q, _ => p % q };
    }

    public static long Integer(object? value, string test) => value is long l ? l : throw Fail($"Test `{test}` needs an integer, not {TypeName(value)}");

    public static object? Range(object? start, object? end, object? step)
    {
        var (from, to, by) = (Integer(Normalize(start), "range"), Integer(Normalize(end), "range"), Integer(Normalize(step), "range"));
        if (by <= 0)
        {
            throw Fail("`range` needs a positive step_by");
        }

        var count = to <= from ? 0 : ((to - from - 1) / by) + 1;
        if (count > MaxRangeItems)
        {
            throw Fail($"`range` would produce more than {MaxRangeItems} numbers");
        }

        var items = new List<object?>((int)count);
        for (var i = 0L; i < count; i++)
        {
            items.Add(from + (i * by));
        }

        return items;
    }

    private static TemplateRenderException Fail(string message) => new(message);
}
