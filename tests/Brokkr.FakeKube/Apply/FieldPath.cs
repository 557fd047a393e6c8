namespace Brokkr.FakeKube.Apply;

/// <summary>A path to a field, such as <c>.metadata.labels.app</c>; keys may themselves contain dots.</summary>
internal readonly record struct FieldPath
{
    private const char Separator = '\u001f';

    private FieldPath(string key) => Key = key;

    public string Key { get; }

    public static FieldPath Root { get; } = new(string.Empty);

    public bool IsRoot => Key.Length == 0;

    public IReadOnlyList<string> Segments => IsRoot ? [] : Key.Split(Separator);

    public string First => IsRoot ? string.Empty : Segments[0];

    public static FieldPath Of(params string[] segments) => new(string.Join(Separator, segments));

    public FieldPath Child(string segment) => IsRoot ? new(segment) : new(Key + Separator + segment);

    /// <summary>The form the real API server prints in conflict messages.</summary>
    public override string ToString() =>
        string.Concat(Segments.Select(s => ItemKey.IsItem(s) ? ItemKey.Display(s) : "." + s));
}
