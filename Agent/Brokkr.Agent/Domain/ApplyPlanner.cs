using System.Text.Json.Nodes;
using Brokkr.Contracts.Stacks;

namespace Brokkr.Agent.Domain;

/// <summary>
/// Pure apply planning: the objects of a deployment object in apply order with Brokkr's
/// annotations stamped (merged into the manifest's own; Brokkr's keys win), and whether a live
/// object already carries this revision (then it needs no write at all).
/// </summary>
internal static class ApplyPlanner
{
    public static IReadOnlyList<PlannedObject> Plan(DeploymentObject deploymentObject, Guid agentId, IReadOnlyList<ManifestObject> objects)
    {
        var planned = new List<PlannedObject>(objects.Count);
        foreach (var source in objects)
        {
            var body = (JsonObject)source.Body.DeepClone();
            var metadata = body["metadata"] as JsonObject ?? new JsonObject();
            body["metadata"] = metadata;
            var annotations = metadata["annotations"] as JsonObject ?? new JsonObject();
            metadata["annotations"] = annotations;
            annotations[BrokkrMetadata.StackAnnotation] = deploymentObject.StackId.ToString();
            annotations[BrokkrMetadata.ChecksumAnnotation] = deploymentObject.YamlChecksum;
            annotations[BrokkrMetadata.DeploymentObjectAnnotation] = deploymentObject.Id.ToString();
            annotations[BrokkrMetadata.LastConfigAppliedAnnotation] = deploymentObject.YamlChecksum;
            annotations[BrokkrMetadata.OwnerAnnotation] = agentId.ToString();
            var labels = metadata["labels"] as JsonObject ?? new JsonObject();
            metadata["labels"] = labels;
            labels[BrokkrMetadata.StackLabel] = deploymentObject.StackId.ToString();

            var priority = source.IsNamespace ? ApplyPriority.Namespace
                : source.IsCustomResourceDefinition ? ApplyPriority.CustomResourceDefinition
                : ApplyPriority.Other;
            planned.Add(new PlannedObject(priority, source, body));
        }

        return planned.OrderBy(p => p.Priority).ThenBy(p => p.Source.Index).ToList();
    }

    /// <summary>
    /// A live object already applied from this very revision by this agent needs no write: the
    /// deployment object id, its checksum and the owner all match.
    /// </summary>
    public static bool NeedsWrite(PlannedObject planned, JsonObject? live, DeploymentObject deploymentObject, Guid agentId)
    {
        if (live is null || BrokkrMetadata.IsBeingDeleted(live))
        {
            return true;
        }

        return BrokkrMetadata.Annotation(live, BrokkrMetadata.DeploymentObjectAnnotation) != deploymentObject.Id.ToString()
            || BrokkrMetadata.Annotation(live, BrokkrMetadata.ChecksumAnnotation) != deploymentObject.YamlChecksum
            || BrokkrMetadata.Annotation(live, BrokkrMetadata.OwnerAnnotation) != agentId.ToString();
    }
}
