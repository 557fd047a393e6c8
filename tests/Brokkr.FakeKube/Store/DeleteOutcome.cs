namespace Brokkr.FakeKube.Store;

/// <summary>The object as deleted, or, when <see cref="Pending"/>, as marked for deletion awaiting its finalizers.</summary>
internal sealed record DeleteOutcome(StoredObject Object, bool Pending);
