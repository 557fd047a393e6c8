using System.Text.Json.Nodes;
using Brokkr.Agent.Apply;
using Brokkr.Agent.Domain;
using Brokkr.Agent.Tests.Support;
using Brokkr.FakeKube;

namespace Brokkr.Agent.Tests.Cluster;

/// <summary>Apply and prune against the fake API server, or a real cluster when BROKKR_TEST_KUBECONFIG is set.</summary>
public sealed class ReconcilerTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private ClusterRig _agent = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _agent = new ClusterRig(_cluster);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static string Annotation(JsonObject item, string key) => BrokkrMetadata.Annotation(item, key)!;

    [Fact]
    public async Task Namespaces_are_applied_first_and_every_object_carries_the_annotations()
    {
        var ns = _cluster.Namespace("order");
        var stack = Guid.NewGuid();
        var revision = ClusterRig.Revision(stack, $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: settings, namespace: {{ns}}, annotations: { team: shop } }
            data: { greeting: hello }
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: web, namespace: {{ns}} }
            spec:
              selector: { matchLabels: { app: web } }
              template:
                metadata: { labels: { app: web } }
                spec:
                  containers: [{ name: web, image: "nginx:1.27" }]
            ---
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            """);
        var mark = _cluster.Fake?.RequestMark ?? 0;

        var state = await _agent.ApplyOkAsync(revision);

        state.Objects.Select(o => o.ToString()).ShouldBe([$"Namespace {ns}", $"ConfigMap {ns}/settings", $"Deployment {ns}/web"]);
        foreach (var (apiVersion, kind, name) in new[] { ("v1", "Namespace", ns), ("v1", "ConfigMap", "settings"), ("apps/v1", "Deployment", "web") })
        {
            var live = (await _agent.GetAsync(apiVersion, kind, kind == "Namespace" ? null : ns, name)).ShouldNotBeNull();
            Annotation(live, "k8s.brokkr.io/stack").ShouldBe(stack.ToString());
            Annotation(live, "k8s.brokkr.io/deployment-checksum").ShouldBe(revision.YamlChecksum);
            Annotation(live, "brokkr.io/deployment-object-id").ShouldBe(revision.Id.ToString());
            Annotation(live, "brokkr.io/owner-id").ShouldBe(_agent.AgentId.ToString());
            Annotation(live, "k8s.brokkr.io/last-config-applied").ShouldBe(revision.YamlChecksum);
            (live["metadata"]!["managedFields"] as JsonArray)?.Select(f => f!["manager"]!.GetValue<string>()).ShouldContain("brokkr-controller");
        }

        var configMap = (await _agent.GetAsync("v1", "ConfigMap", ns, "settings"))!;
        Annotation(configMap, "team").ShouldBe("shop");

        if (_cluster.Fake is { } fake)
        {
            var writes = fake.RequestsSince(mark).Where(r => r.IsWrite).Select(r => r.Path).ToList();
            writes.Count.ShouldBe(3);
            writes[0].ShouldBe($"/api/v1/namespaces/{ns}");
            fake.RequestsSince(mark).Where(r => r.IsDryRun).Count().ShouldBe(2);
            fake.RequestsSince(mark).Where(r => r.Method == "PATCH").ShouldAllBe(r => r.Query.Contains("fieldManager=brokkr-controller") && r.Query.Contains("force=true"));
        }
    }

    [Fact]
    public async Task A_custom_resource_is_applied_after_its_crd_is_established()
    {
        var ns = _cluster.Namespace("crd");
        var group = $"t{Guid.NewGuid():N}"[..12] + ".example.com";
        _cluster.CleanUp("apiextensions.k8s.io/v1", "CustomResourceDefinition", $"widgets.{group}");
        var revision = ClusterRig.Revision(Guid.NewGuid(), $$"""
            apiVersion: {{group}}/v1
            kind: Widget
            metadata: { name: w1, namespace: {{ns}} }
            spec: { size: 3 }
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: { name: widgets.{{group}} }
            spec:
              group: {{group}}
              scope: Namespaced
              names: { plural: widgets, singular: widget, kind: Widget, listKind: WidgetList }
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
            ---
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            """);
        var mark = _cluster.Fake?.RequestMark ?? 0;

        await _agent.ApplyOkAsync(revision);

        var widget = (await _agent.GetAsync($"{group}/v1", "Widget", ns, "w1")).ShouldNotBeNull();
        widget["spec"]!["size"]!.GetValue<long>().ShouldBe(3);
        if (_cluster.Fake is { } fake)
        {
            var writes = fake.RequestsSince(mark).Where(r => r.IsWrite).Select(r => r.Path).ToList();
            writes.FindIndex(p => p.Contains("/customresourcedefinitions/")).ShouldBeLessThan(writes.FindIndex(p => p.Contains("/widgets/")));
        }
    }

    [Fact]
    public async Task The_applier_waits_for_a_crd_that_takes_time_to_be_established()
    {
        if (_cluster.Fake is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = await TestCluster.StartAsync(new FakeKubeOptions { EstablishCrds = false });
            _agent = new ClusterRig(_cluster);
        }

        var group = $"t{Guid.NewGuid():N}"[..12] + ".example.com";
        _cluster.CleanUp("apiextensions.k8s.io/v1", "CustomResourceDefinition", $"gadgets.{group}");
        var revision = ClusterRig.Revision(Guid.NewGuid(), $$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: { name: gadgets.{{group}} }
            spec:
              group: {{group}}
              scope: Cluster
              names: { plural: gadgets, singular: gadget, kind: Gadget }
              versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
            ---
            apiVersion: {{group}}/v1
            kind: Gadget
            metadata: { name: g1 }
            """);
        _cluster.CleanUp($"{group}/v1", "Gadget", "g1");

        var apply = _agent.Reconciler.ApplyAsync(revision, _agent.AgentId, null, CancellationToken.None);
        if (_cluster.Fake is { } fake)
        {
            await Eventually.WaitAsync(() => fake.Cluster.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, $"gadgets.{group}") is not null, "the CRD is stored");
            await Task.Delay(300);
            apply.IsCompleted.ShouldBeFalse();
            fake.Cluster.SetStatus("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, $"gadgets.{group}", new JsonObject
            {
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True" },
                    new JsonObject { ["type"] = "Established", ["status"] = "True" }),
            });
        }

        var result = await apply;
        result.EventStatus.ShouldBe(Reconciler.Success, result.Message);
        (await _agent.GetAsync($"{group}/v1", "Gadget", null, "g1")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Applying_the_same_revision_again_writes_nothing()
    {
        var ns = _cluster.Namespace("same");
        var revision = ClusterRig.Revision(Guid.NewGuid(), $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: c1, namespace: {{ns}} }
            data: { a: "1" }
            """);
        await _agent.ApplyOkAsync(revision);
        var before = (await _agent.GetAsync("v1", "ConfigMap", ns, "c1"))!["metadata"]!["resourceVersion"]!.GetValue<string>();
        var mark = _cluster.Fake?.RequestMark ?? 0;

        // A restart that lost its applied set: the cluster's annotations say this revision is in place.
        var again = await _agent.Reconciler.ApplyAsync(revision, _agent.AgentId, null, CancellationToken.None);

        again.EventStatus.ShouldBe(Reconciler.Success);
        (await _agent.GetAsync("v1", "ConfigMap", ns, "c1"))!["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldBe(before);
        _cluster.Fake?.RequestsSince(mark).Where(r => r.IsWrite || r.IsDryRun).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_new_revision_updates_changed_objects_and_prunes_the_ones_it_dropped()
    {
        var ns = _cluster.Namespace("rev");
        var stack = Guid.NewGuid();
        var first = await _agent.ApplyOkAsync(ClusterRig.Revision(stack, $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: kept, namespace: {{ns}} }
            data: { version: "1" }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: dropped, namespace: {{ns}} }
            """, sequence: 1));

        var second = ClusterRig.Revision(stack, $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: kept, namespace: {{ns}} }
            data: { version: "2" }
            ---
            apiVersion: v1
            kind: Secret
            metadata: { name: added, namespace: {{ns}} }
            stringData: { token: abc }
            """, sequence: 2);
        var state = await _agent.ApplyOkAsync(second, first);

        var kept = (await _agent.GetAsync("v1", "ConfigMap", ns, "kept")).ShouldNotBeNull();
        kept["data"]!["version"]!.GetValue<string>().ShouldBe("2");
        Annotation(kept, "brokkr.io/deployment-object-id").ShouldBe(second.Id.ToString());
        (await _agent.GetAsync("v1", "Secret", ns, "added")).ShouldNotBeNull();
        (await _agent.GetAsync("v1", "ConfigMap", ns, "dropped")).ShouldBeNull();
        (await _agent.GetAsync("v1", "Namespace", null, ns)).ShouldNotBeNull();
        state.Objects.Select(o => o.Name).ShouldBe([ns, "kept", "added"]);
    }

    [Fact]
    public async Task Deleting_a_stack_removes_what_this_agent_owns_and_spares_other_owners()
    {
        var ns = _cluster.Namespace("del");
        var stack = Guid.NewGuid();
        await _cluster.Connect().ApplyAsync($"api/v1/namespaces/{ns}", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } },
            "test", force: true, dryRun: false, CancellationToken.None);
        var mine = await _agent.ApplyOkAsync(ClusterRig.Revision(stack, $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: mine, namespace: {{ns}} }
            ---
            apiVersion: v1
            kind: Service
            metadata: { name: mine, namespace: {{ns}} }
            spec: { ports: [{ port: 80 }] }
            """));
        var other = new ClusterRig(_cluster);
        await other.ApplyOkAsync(ClusterRig.Revision(stack, $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: theirs, namespace: {{ns}} }
            """));

        var result = await _agent.Reconciler.DeleteStackAsync(stack, ClusterRig.Marker(stack, 9), _agent.AgentId, mine, CancellationToken.None);

        result.EventStatus.ShouldBe(Reconciler.Success, result.Message);
        result.State!.Outcome.ShouldBe(StackOutcome.Deleted);
        (await _agent.GetAsync("v1", "ConfigMap", ns, "mine")).ShouldBeNull();
        (await _agent.GetAsync("v1", "Service", ns, "mine")).ShouldBeNull();
        (await _agent.GetAsync("v1", "ConfigMap", ns, "theirs")).ShouldNotBeNull();
        (await _agent.GetAsync("v1", "Namespace", null, ns)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Objects_owned_by_other_objects_are_never_pruned()
    {
        var ns = _cluster.Namespace("owned");
        var stack = Guid.NewGuid();
        await _agent.ApplyOkAsync(ClusterRig.Revision(stack, $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{ns}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: parent, namespace: {{ns}} }
            """));
        var parent = (await _agent.GetAsync("v1", "ConfigMap", ns, "parent"))!;
        var child = ClusterRig.Revision(stack, "x");
        var childBody = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "child",
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["k8s.brokkr.io/stack"] = stack.ToString() },
                ["annotations"] = new JsonObject { ["k8s.brokkr.io/stack"] = stack.ToString(), ["brokkr.io/owner-id"] = _agent.AgentId.ToString(), ["k8s.brokkr.io/deployment-checksum"] = child.YamlChecksum },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "parent", ["uid"] = parent["metadata"]!["uid"]!.GetValue<string>(),
                }),
            },
        };
        await _agent.Api.ApplyAsync($"api/v1/namespaces/{ns}/configmaps/child", childBody, "someone-else", force: true, dryRun: false, CancellationToken.None);

        var result = await _agent.Reconciler.DeleteStackAsync(stack, null, _agent.AgentId, null, CancellationToken.None);

        result.Message.ShouldBeNull();
        (await _agent.GetAsync("v1", "ConfigMap", ns, "parent")).ShouldBeNull();
        // The child goes with its parent through the server's garbage collection, never through the agent.
        _cluster.Fake?.Requests.Where(r => r.Method == "DELETE").ShouldAllBe(r => !r.Path.EndsWith("/child"));
    }

    [Fact]
    public async Task A_failed_apply_rolls_back_only_the_namespaces_it_created()
    {
        var existing = _cluster.Namespace("keep");
        var fresh = _cluster.Namespace("new");
        await _agent.Api.ApplyAsync($"api/v1/namespaces/{existing}", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = existing } },
            "test", force: true, dryRun: false, CancellationToken.None);
        var revision = ClusterRig.Revision(Guid.NewGuid(), $$"""
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{existing}} }
            ---
            apiVersion: v1
            kind: Namespace
            metadata: { name: {{fresh}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: good, namespace: {{fresh}} }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: Not_A_Valid_Name, namespace: {{fresh}} }
            """);

        var result = await _agent.Reconciler.ApplyAsync(revision, _agent.AgentId, null, CancellationToken.None);

        result.EventStatus.ShouldBe(Reconciler.Failure);
        result.Message!.ShouldContain("Not_A_Valid_Name");
        result.State!.Outcome.ShouldBe(StackOutcome.Failed);
        result.State.RetryAt.ShouldNotBeNull();
        await Eventually.WaitAsync(
            async () => await _agent.GetAsync("v1", "Namespace", null, fresh) is not { } left || BrokkrMetadata.IsBeingDeleted(left),
            "the namespace created by the failed apply is gone");
        (await _agent.GetAsync("v1", "Namespace", null, existing)).ShouldNotBeNull();
        _cluster.Fake?.Requests.Where(r => r.IsWrite && r.Path.Contains("/configmaps/")).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_kind_fails_closed()
    {
        var result = await _agent.Reconciler.ApplyAsync(ClusterRig.Revision(Guid.NewGuid(), """
            apiVersion: nothing.example.com/v1
            kind: Ghost
            metadata: { name: boo }
            """), _agent.AgentId, null, CancellationToken.None);

        result.EventStatus.ShouldBe(Reconciler.Failure);
        result.Message!.ShouldContain("no kind Ghost");
    }

    [Fact]
    public async Task Unparseable_yaml_is_a_failure_with_the_reason()
    {
        var result = await _agent.Reconciler.ApplyAsync(ClusterRig.Revision(Guid.NewGuid(), "apiVersion: v1\nkind: [oops"), _agent.AgentId, null, CancellationToken.None);

        result.EventStatus.ShouldBe(Reconciler.Failure);
        result.Message!.ShouldStartWith("invalid deployment object");
    }

    [Fact]
    public async Task Namespaced_objects_without_a_namespace_go_to_the_watch_namespace()
    {
        var ns = _cluster.Namespace("watch");
        await _agent.Api.ApplyAsync($"api/v1/namespaces/{ns}", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } },
            "test", force: true, dryRun: false, CancellationToken.None);
        var scoped = new ClusterRig(_cluster, watchNamespace: ns);

        var state = await scoped.ApplyOkAsync(ClusterRig.Revision(Guid.NewGuid(), "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: loose }"));

        state.Objects.Single().Namespace.ShouldBe(ns);
        (await scoped.GetAsync("v1", "ConfigMap", ns, "loose")).ShouldNotBeNull();
    }
}
