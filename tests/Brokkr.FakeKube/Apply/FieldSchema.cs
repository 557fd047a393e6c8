using Brokkr.FakeKube.Discovery;

namespace Brokkr.FakeKube.Apply;

/// <summary>What a write may own (<see cref="FieldScope"/>) and which lists merge by key (<see cref="BuiltinListKeys"/>).</summary>
internal sealed record FieldSchema(Func<FieldPath, bool> Includes, ListKeys KeysOf)
{
    /// <summary>Custom resources have no list-map keys here: the fake does not read CRD schemas.</summary>
    public static FieldSchema For(ResourceType type, string subresource) =>
        new(FieldScope.For(subresource, type.HasStatusSubresource), BuiltinResources.IsBuiltinGroup(type.Group) ? BuiltinListKeys.Of : BuiltinListKeys.Atomic);
}
