using System.Text.Json.Nodes;

namespace Brokkr.Agent.Domain;

/// <summary>
/// Pure prune planning (behaviour §14.5): of the live objects found, those of this stack, owned by
/// this agent, not owned by another object, whose checksum is stale; or, for a whole-stack delete
/// (no current checksum), all of them.
/// </summary>
internal static class PrunePlanner
{
    public static IReadOnlyList<JsonObject> SelectForDeletion(IEnumerable<JsonObject> live, Guid stackId, Guid agentId, string? currentChecksum)
    {
        var stack = stackId.ToString();
        var owner = agentId.ToString();
        return live.Where(item =>
                BrokkrMetadata.Annotation(item, BrokkrMetadata.StackAnnotation) == stack
                && BrokkrMetadata.Annotation(item, BrokkrMetadata.OwnerAnnotation) == owner
                && !BrokkrMetadata.HasOwnerReferences(item)
                && !BrokkrMetadata.IsBeingDeleted(item)
                && (currentChecksum is null || BrokkrMetadata.Annotation(item, BrokkrMetadata.ChecksumAnnotation) != currentChecksum))
            .ToList();
    }
}
