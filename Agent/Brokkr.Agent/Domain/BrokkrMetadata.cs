using System.Text.Json.Nodes;

namespace Brokkr.Agent.Domain;

/// <summary>
/// The keys the agents stamp on every object they apply (behaviour §14.4), the same as the
/// reference's so either agent can take over a cluster from the other, plus our stack label.
/// </summary>
internal static class BrokkrMetadata
{
    public const string StackAnnotation = "k8s.brokkr.io/stack";
    public const string ChecksumAnnotation = "k8s.brokkr.io/deployment-checksum";
    public const string DeploymentObjectAnnotation = "brokkr.io/deployment-object-id";
    public const string LastConfigAppliedAnnotation = "k8s.brokkr.io/last-config-applied";
    public const string OwnerAnnotation = "brokkr.io/owner-id";

    /// <summary>
    /// Ours (ADR 0026): the stack id as a label too, so pruning can list by selector. The reference
    /// stamps no label and finds objects by annotation; ours never relies on the label alone.
    /// </summary>
    public const string StackLabel = "k8s.brokkr.io/stack";

    public const string FieldManager = "brokkr-controller";

    public static string? Annotation(JsonObject item, string key)
        => item["metadata"]?["annotations"]?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool HasOwnerReferences(JsonObject item)
        => item["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 };

    public static bool IsBeingDeleted(JsonObject item)
        => item["metadata"]?["deletionTimestamp"] is not null;
}
