using System.Text.Json.Nodes;
using Brokkr.FakeKube.Apply;

namespace Brokkr.FakeKube.Store;

/// <summary>The object a write wants stored; the store adds resourceVersion and managedFields.</summary>
internal sealed record Proposal(JsonObject Body, IReadOnlyList<ManagedEntry> Managers);
