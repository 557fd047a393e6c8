using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;

namespace Brokkr.Agent.Tests.Domain;

public sealed class PrunePlannerTests
{
    private static readonly Guid Stack = Guid.NewGuid();
    private static readonly Guid Agent = Guid.NewGuid();

    private static JsonObject Live(string name, string? stack, string? owner, string checksum, bool ownerReferences = false, bool deleting = false)
    {
        var annotations = new JsonObject { ["k8s.brokkr.io/deployment-checksum"] = checksum };
        if (stack is not null)
        {
            annotations["k8s.brokkr.io/stack"] = stack;
        }

        if (owner is not null)
        {
            annotations["brokkr.io/owner-id"] = owner;
        }

        var metadata = new JsonObject { ["name"] = name, ["annotations"] = annotations };
        if (ownerReferences)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject { ["kind"] = "Deployment", ["name"] = "web" });
        }

        if (deleting)
        {
            metadata["deletionTimestamp"] = "2025-01-01T00:00:00Z";
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata };
    }

    private static readonly JsonObject[] Cluster =
    [
        Live("stale", Stack.ToString(), Agent.ToString(), "old"),
        Live("current", Stack.ToString(), Agent.ToString(), "new"),
        Live("other-agent", Stack.ToString(), Guid.NewGuid().ToString(), "old"),
        Live("no-owner", Stack.ToString(), null, "old"),
        Live("owned-by-object", Stack.ToString(), Agent.ToString(), "old", ownerReferences: true),
        Live("other-stack", Guid.NewGuid().ToString(), Agent.ToString(), "old"),
        Live("already-deleting", Stack.ToString(), Agent.ToString(), "old", deleting: true),
    ];

    private static IEnumerable<string> Names(IEnumerable<JsonObject> items) => items.Select(i => i["metadata"]!["name"]!.GetValue<string>());

    [Fact]
    public void After_an_apply_only_this_agents_objects_of_the_stack_with_a_stale_checksum_go()
        => Names(PrunePlanner.SelectForDeletion(Cluster, Stack, Agent, "new")).ShouldBe(["stale"]);

    [Fact]
    public void A_whole_stack_delete_takes_everything_this_agent_owns_of_the_stack_and_nothing_else()
        => Names(PrunePlanner.SelectForDeletion(Cluster, Stack, Agent, null)).ShouldBe(["stale", "current"]);
}
