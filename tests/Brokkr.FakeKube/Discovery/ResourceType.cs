namespace Brokkr.FakeKube.Discovery;

/// <summary>One served resource: what discovery lists and what the API routes to.</summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Subresources,
    IReadOnlyList<string> Categories,
    bool TracksGeneration)
{
    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    public bool HasStatusSubresource => Subresources.Contains("status");

    /// <summary>The "plural.group" form kubectl prints and the real server uses in messages.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public bool Matches(string group, string version, string plural) =>
        Group == group && Version == version && Plural == plural;

    public static ResourceType Core(string plural, string singular, string kind, bool namespaced, params string[] shortNames) =>
        new("", "v1", plural, singular, kind, namespaced, shortNames, [], [], TracksGeneration: false);

    public ResourceType WithStatus() => this with { Subresources = [.. Subresources, "status"] };

    public ResourceType WithSubresource(string name) => this with { Subresources = [.. Subresources, name] };

    public ResourceType InGroup(string group, string version) => this with { Group = group, Version = version };

    public ResourceType InAll() => this with { Categories = ["all"] };

    public ResourceType Generational() => this with { TracksGeneration = true };
}
