using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Tests.Support;
using k8s;
using k8s.Models;

namespace Brokkr.FakeKube.Tests.Server;

public sealed class ObjectSemanticsTests : ServerTest
{
    [Fact(Timeout = 30_000)]
    public async Task Given_owner_deleted_then_dependents_go_unless_orphaned()
    {
        using var client = Client();
        var owner = Server.Cluster.Apply(Manifests.ConfigMap("owner", "default", "k", "v"));
        var orphanOwner = Server.Cluster.Apply(Manifests.ConfigMap("orphan-owner", "default", "k", "v"));
        Server.Cluster.Apply(Dependent("child", owner));
        Server.Cluster.Apply(Dependent("orphan", orphanOwner));

        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("orphan-owner", "default", propagationPolicy: "Orphan");

        Server.Cluster.Get("v1", "ConfigMap", "default", "child").ShouldBeNull();
        var orphan = Server.Cluster.Get("v1", "ConfigMap", "default", "orphan").ShouldNotBeNull();
        orphan["metadata"]!["ownerReferences"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_reset_through_the_admin_endpoint_then_only_the_initial_namespaces_remain()
    {
        using var http = Http();
        Server.Cluster.Apply(Manifests.WidgetCrd);
        Server.Cluster.Apply(Manifests.Widget);
        Server.Cluster.Apply("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"}}""");
        Server.Cluster.Apply(Manifests.ConfigMap("settings", "demo", "k", "v"));

        (await http.PostAsync("/_fake/reset", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        Server.Cluster.List("v1", "Namespace").Select(n => n["metadata"]!["name"]!.GetValue<string>())
            .ShouldBe(["default", "kube-node-lease", "kube-public", "kube-system"]);
        Server.Cluster.List("v1", "ConfigMap").ShouldBeEmpty();
        (await http.GetAsync("/apis/example.com/v1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_system_namespace_then_it_may_not_be_deleted()
    {
        using var client = Client();

        var error = await Should.ThrowAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.DeleteNamespaceAsync("default"));

        error.Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        error.Response.Content.ShouldContain("this namespace may not be deleted");
        Server.Cluster.Get("v1", "Namespace", null, "default").ShouldNotBeNull();
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_finalizer_then_delete_only_marks_the_object_until_the_finalizer_is_removed()
    {
        using var client = Client();
        await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] } }, "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync("held", "default");
        var marked = await client.CoreV1.ReadNamespacedConfigMapAsync("held", "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", "default");

        marked.Metadata.DeletionTimestamp.ShouldNotBeNull();
        marked.Metadata.Finalizers.ShouldBe(["example.com/hold"]);
        Server.Cluster.Get("v1", "ConfigMap", "default", "held").ShouldBeNull();
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_cluster_scoped_object_with_a_namespace_then_the_namespace_is_dropped()
    {
        using var client = Client();

        var role = await client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "system:brokkr", NamespaceProperty = "default" },
        });

        role.Metadata.NamespaceProperty.ShouldBeNull();
        (await client.RbacAuthorizationV1.ReadClusterRoleAsync("system:brokkr")).Metadata.Name.ShouldBe("system:brokkr");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_secret_with_string_data_then_it_is_stored_base64_encoded()
    {
        using var client = Client();

        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, StringData = new Dictionary<string, string> { ["password"] = "hunter2" } },
            "default");

        var secret = await client.CoreV1.ReadNamespacedSecretAsync("creds", "default");
        Encoding.UTF8.GetString(secret.Data["password"]).ShouldBe("hunter2");
        secret.StringData.ShouldBeNull();
        secret.Type.ShouldBe("Opaque");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_label_selector_then_deletecollection_removes_only_matching_objects()
    {
        using var client = Client();
        Server.Cluster.Apply("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":{"stack":"s1"}}}""");
        Server.Cluster.Apply("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","labels":{"stack":"s2"}}}""");

        await client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "stack=s1");

        Server.Cluster.List("v1", "ConfigMap", "default").Select(o => o["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["b"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_crd_not_yet_established_then_its_resources_are_served_only_once_it_is()
    {
        await using var server = await FakeKubeServer.StartAsync(options: new FakeKubeOptions { EstablishCrds = false });
        using var http = new HttpClient { BaseAddress = server.Url };
        server.Cluster.Apply(Manifests.WidgetCrd);

        var before = await http.GetAsync("/apis/example.com/v1");
        var applyBefore = Should.Throw<FakeKubeException>(() => server.Cluster.Apply(Manifests.Widget));
        server.Cluster.SetStatus("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.example.com", JsonNode.Parse("""
            {"conditions":[{"type":"Established","status":"True"},{"type":"NamesAccepted","status":"True"}]}
            """)!.AsObject());
        var after = JsonNode.Parse(await http.GetStringAsync("/apis/example.com/v1"))!;
        server.Cluster.Apply(Manifests.Widget);

        before.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        applyBefore.Code.ShouldBe(404);
        after["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ShouldBe(["widgets", "widgets/status"]);
        server.Cluster.Count("example.com/v1", "Widget").ShouldBe(1);

        server.Cluster.Delete("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.example.com");
        (await http.GetAsync("/apis/example.com/v1/namespaces/default/widgets")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        JsonNode.Parse(await http.GetStringAsync("/apis"))!["groups"]!.AsArray().ShouldNotContain(g => g!["name"]!.GetValue<string>() == "example.com");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_a_thousand_objects_then_applying_and_listing_them_stays_fast()
    {
        using var client = Client();
        var started = DateTime.UtcNow;

        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await client.CoreV1.PatchNamespacedConfigMapAsync(
                new V1Patch(new V1ConfigMap
                {
                    ApiVersion = "v1",
                    Kind = "ConfigMap",
                    Metadata = new V1ObjectMeta { Name = $"cm-{i}", Labels = new Dictionary<string, string> { ["shard"] = (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                    Data = new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                }, V1Patch.PatchType.ApplyPatch),
                $"cm-{i}", "default", fieldManager: "brokkr-controller", force: true, cancellationToken: ct));
        var all = await client.CoreV1.ListConfigMapForAllNamespacesAsync();
        var shard = await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "shard=3");

        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(10));
        all.Items.Count.ShouldBe(1000);
        shard.Items.Count.ShouldBe(100);
    }

    private static JsonObject Dependent(string name, JsonObject owner) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["name"] = owner["metadata"]!["name"]!.GetValue<string>(),
                ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
            }),
        },
    };
}
