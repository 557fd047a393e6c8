namespace Brokkr.FakeKube.Store;

/// <summary>Where an object lives: its storage type (plural.group), namespace ("" when cluster-scoped) and name.</summary>
internal readonly record struct ObjectKey(string TypeKey, string Namespace, string Name);
