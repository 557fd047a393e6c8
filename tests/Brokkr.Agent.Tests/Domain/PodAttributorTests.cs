using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;

namespace Brokkr.Agent.Tests.Domain;

public sealed class PodAttributorTests
{
    private static JsonObject Item(string kind, string name, string? ownerKind = null, string? ownerName = null, string? annotation = null, string? label = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "shop" };
        if (annotation is not null)
        {
            metadata["annotations"] = new JsonObject { ["brokkr.io/deployment-object-id"] = annotation };
        }

        if (label is not null)
        {
            metadata["labels"] = new JsonObject { ["brokkr.io/deployment-object-id"] = label };
        }

        if (ownerKind is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = ownerKind, ["name"] = ownerName, ["controller"] = true });
        }

        return new JsonObject { ["kind"] = kind, ["metadata"] = metadata };
    }

    [Fact]
    public async Task The_pods_own_label_or_annotation_wins()
    {
        (await PodAttributor.AttributeAsync(Item("Pod", "p", label: "from-label"), (_, _, _, _) => Task.FromResult<JsonObject?>(null))).ShouldBe("from-label");
        (await PodAttributor.AttributeAsync(Item("Pod", "p", annotation: "from-annotation"), (_, _, _, _) => Task.FromResult<JsonObject?>(null))).ShouldBe("from-annotation");
    }

    [Fact]
    public async Task The_controller_chain_is_walked_to_the_annotated_object()
    {
        var objects = new Dictionary<string, JsonObject>
        {
            ["ReplicaSet/web-1"] = Item("ReplicaSet", "web-1", "Deployment", "web"),
            ["Deployment/web"] = Item("Deployment", "web", annotation: "rev-7"),
        };
        var pod = Item("Pod", "web-1-x", "ReplicaSet", "web-1");

        (await PodAttributor.AttributeAsync(pod, (_, kind, _, name) => Task.FromResult(objects.GetValueOrDefault($"{kind}/{name}")))).ShouldBe("rev-7");
    }

    [Fact]
    public async Task The_walk_stops_after_four_levels_or_at_a_missing_owner()
    {
        var chain = new Dictionary<string, JsonObject>
        {
            ["A/1"] = Item("A", "1", "A", "2"),
            ["A/2"] = Item("A", "2", "A", "3"),
            ["A/3"] = Item("A", "3", "A", "4"),
            ["A/4"] = Item("A", "4", "A", "5"),
            ["A/5"] = Item("A", "5", annotation: "too-deep"),
        };
        var pod = Item("Pod", "p", "A", "1");

        (await PodAttributor.AttributeAsync(pod, (_, kind, _, name) => Task.FromResult(chain.GetValueOrDefault($"{kind}/{name}")))).ShouldBeNull();
        (await PodAttributor.AttributeAsync(Item("Pod", "p", "ReplicaSet", "gone"), (_, _, _, _) => Task.FromResult<JsonObject?>(null))).ShouldBeNull();
    }
}
