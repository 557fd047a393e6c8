using System.Net;
using Brokkr.FakeKube.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Brokkr.FakeKube.Tests.Client;

/// <summary>The KubernetesClient library the agent uses, applying and reading through the fake.</summary>
public sealed class KubernetesClientApplyTests : ServerTest
{
    private const string Manager = "brokkr-controller";

    [Fact(Timeout = 30_000)]
    public async Task Given_apply_with_field_manager_and_force_then_the_object_is_created_and_owned()
    {
        using var client = Client();

        var applied = await Apply(client, Settings("hello"));

        applied.Data["greeting"].ShouldBe("hello");
        applied.Metadata.Uid.ShouldNotBeNullOrEmpty();
        applied.Metadata.ResourceVersion.ShouldNotBeNullOrEmpty();
        var owner = applied.Metadata.ManagedFields.ShouldHaveSingleItem();
        owner.Manager.ShouldBe(Manager);
        owner.Operation.ShouldBe("Apply");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_reapply_then_only_a_real_change_moves_the_resource_version()
    {
        using var client = Client();
        await Apply(client, Settings("hello"));
        var labelled = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"labels":{"team":"a"}}}""", V1Patch.PatchType.ApplyPatch),
            "settings", "default", fieldManager: "other-tool");

        var same = await Apply(client, Settings("hello"));
        var changed = await Apply(client, Settings("bonjour"));

        same.Metadata.ResourceVersion.ShouldBe(labelled.Metadata.ResourceVersion);
        long.Parse(changed.Metadata.ResourceVersion).ShouldBeGreaterThan(long.Parse(labelled.Metadata.ResourceVersion));
        changed.Data["greeting"].ShouldBe("bonjour");
        changed.Metadata.Labels["team"].ShouldBe("a");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_dry_run_then_the_result_is_returned_but_not_stored()
    {
        using var client = Client();
        await Apply(client, Settings("hello"));

        var dryUpdate = await Apply(client, Settings("bonjour"), dryRun: "All");
        var dryCreate = await Apply(client, new V1ConfigMap
        {
            ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "fresh", NamespaceProperty = "default" },
        }, dryRun: "All");

        dryUpdate.Data["greeting"].ShouldBe("bonjour");
        dryCreate.Metadata.Name.ShouldBe("fresh");
        (await client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default")).Data["greeting"].ShouldBe("hello");
        var missing = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("fresh", "default"));
        missing.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Server.Requests.Where(r => r.IsDryRun).Count().ShouldBe(2);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_labelled_objects_then_list_filters_by_label_selector()
    {
        using var client = Client();
        foreach (var (name, tier) in new[] { ("a", "front"), ("b", "back"), ("c", "front") })
        {
            await Apply(client, new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = new V1ObjectMeta
                {
                    Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["tier"] = tier, ["app"] = "web" },
                },
            });
        }

        var front = await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "app=web,tier=front");
        var notFront = await client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "tier notin (front)");
        var byName = await client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=b");

        front.Items.Select(i => i.Metadata.Name).ShouldBe(["a", "c"]);
        notFront.Items.Select(i => i.Metadata.Name).ShouldBe(["b"]);
        byName.Items.ShouldHaveSingleItem().Metadata.Labels["tier"].ShouldBe("back");
        long.Parse(front.Metadata.ResourceVersion).ShouldBe(Server.Cluster.ResourceVersion);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_delete_then_the_object_is_gone()
    {
        using var client = Client();
        await Apply(client, Settings("hello"));

        var status = await client.CoreV1.DeleteNamespacedConfigMapAsync("settings", "default", propagationPolicy: "Background");

        status.Status.ShouldBe("Success");
        var gone = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default"));
        gone.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_merge_and_json_patches_then_they_change_the_object()
    {
        using var client = Client();
        await Apply(client, Settings("hello"));

        await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"extra":"1"}}""", V1Patch.PatchType.MergePatch), "settings", "default");
        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"replace","path":"/data/greeting","value":"hej"}]""", V1Patch.PatchType.JsonPatch), "settings", "default");

        patched.Data.OrderBy(p => p.Key).ShouldBe([new("extra", "1"), new("greeting", "hej")]);
        patched.Metadata.ManagedFields.Select(m => m.Operation).ShouldContain("Update");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_lease_replaced_with_stale_resource_version_then_the_write_conflicts()
    {
        using var client = Client();
        var lease = await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "leader" },
            Spec = new V1LeaseSpec { HolderIdentity = "agent-a", LeaseDurationSeconds = 15 },
        }, "default");

        lease.Spec.HolderIdentity = "agent-b";
        var renewed = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "leader", "default");
        lease.Spec.HolderIdentity = "agent-c";
        var stale = await Should.ThrowAsync<HttpOperationException>(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "leader", "default"));

        renewed.Spec.HolderIdentity.ShouldBe("agent-b");
        stale.Response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        stale.Response.Content.ShouldContain("the object has been modified");
    }

    private static V1ConfigMap Settings(string greeting) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "settings", NamespaceProperty = "default" },
        Data = new Dictionary<string, string> { ["greeting"] = greeting },
    };

    private static Task<V1ConfigMap> Apply(Kubernetes client, V1ConfigMap configMap, string? dryRun = null) =>
        client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(configMap, V1Patch.PatchType.ApplyPatch),
            configMap.Metadata.Name,
            configMap.Metadata.NamespaceProperty,
            dryRun: dryRun,
            fieldManager: Manager,
            force: true);
}
