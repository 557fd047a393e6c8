namespace Brokkr.FakeKube.Discovery;

/// <summary>
/// The served resources: the built-ins plus those of established CRDs. Read on every request and
/// changed rarely, so readers take an immutable snapshot.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyList<ResourceType>> _custom = new(StringComparer.Ordinal);
    private IReadOnlyList<ResourceType> _all = BuiltinResources.All;
    private long _revision;

    public IReadOnlyList<ResourceType> All => Volatile.Read(ref _all);

    /// <summary>Changes whenever the set of resources changes; used to make cached documents stale.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    public ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Matches(group, version, plural));

    public ResourceType? FindByKind(string apiVersion, string kind)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        return All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Kind == kind);
    }

    /// <summary>Each group with its versions, preferred first.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups() =>
        All.Where(t => t.Group.Length > 0)
            .GroupBy(t => t.Group)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(t => t.Version).Distinct().Order(KubeVersionOrder.Instance).ToList()))
            .ToList();

    public void SetCustom(string crdName, IReadOnlyList<ResourceType> types)
    {
        lock (_gate)
        {
            if (_custom.TryGetValue(crdName, out var existing) && existing.SequenceEqual(types, ResourceTypeComparer.Instance))
            {
                return;
            }

            _custom[crdName] = types;
            Publish();
        }
    }

    public void RemoveCustom(string crdName)
    {
        lock (_gate)
        {
            if (_custom.Remove(crdName))
            {
                Publish();
            }
        }
    }

    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    private void Publish()
    {
        Volatile.Write(ref _all, [.. BuiltinResources.All, .. _custom.Values.SelectMany(t => t)]);
        Interlocked.Increment(ref _revision);
    }

    private sealed class ResourceTypeComparer : IEqualityComparer<ResourceType>
    {
        public static readonly ResourceTypeComparer Instance = new();

        public bool Equals(ResourceType? x, ResourceType? y) =>
            x is not null && y is not null
            && x.Group == y.Group && x.Version == y.Version && x.Plural == y.Plural && x.Kind == y.Kind
            && x.Singular == y.Singular && x.Namespaced == y.Namespaced
            && x.ShortNames.SequenceEqual(y.ShortNames) && x.Subresources.SequenceEqual(y.Subresources)
            && x.Categories.SequenceEqual(y.Categories);

        public int GetHashCode(ResourceType obj) => HashCode.Combine(obj.Group, obj.Version, obj.Plural);
    }
}
