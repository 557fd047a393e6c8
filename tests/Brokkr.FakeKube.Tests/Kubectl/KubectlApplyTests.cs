using System.Text.Json.Nodes;
using Brokkr.FakeKube.Tests.Support;

namespace Brokkr.FakeKube.Tests.Kubectl;

/// <summary>The real kubectl, with default flags, applying, reading and deleting through the fake.</summary>
public sealed class KubectlApplyTests : ServerTest, IDisposable
{
    private Support.Kubectl? _kubectl;

    private Support.Kubectl Cli => _kubectl ??= new Support.Kubectl(Server);

    public void Dispose() => _kubectl?.Dispose();

    [KubectlFact]
    public async Task Given_fake_server_then_kubectl_version_reports_it()
    {
        var result = (await Cli.RunAsync("version -o json")).ShouldSucceed();

        var version = JsonNode.Parse(result.Output)!;
        version["serverVersion"]!["gitVersion"]!.GetValue<string>().ShouldBe("v1.32.4");
        version["serverVersion"]!["minor"]!.GetValue<string>().ShouldBe("32");
    }

    [KubectlFact]
    public async Task Given_fake_server_then_api_resources_lists_kinds_with_short_names_and_scope()
    {
        var result = (await Cli.RunAsync("api-resources --no-headers")).ShouldSucceed();

        var rows = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        rows.ShouldContain(r => r.SequenceEqual(new[] { "deployments", "deploy", "apps/v1", "true", "Deployment" }));
        rows.ShouldContain(r => r.SequenceEqual(new[] { "namespaces", "ns", "v1", "false", "Namespace" }));
        rows.ShouldContain(r => r.SequenceEqual(new[] { "customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false", "CustomResourceDefinition" }));
        rows.ShouldContain(r => r.SequenceEqual(new[] { "leases", "coordination.k8s.io/v1", "true", "Lease" }));
        rows.ShouldContain(r => r.SequenceEqual(new[] { "jobs", "batch/v1", "true", "Job" }));
        Server.Requests.Where(r => r.Path.StartsWith("/api", StringComparison.Ordinal)).Select(r => r.Path)
            .ShouldBe(["/api", "/apis"], "kubectl should read the aggregated discovery documents only");
    }

    [KubectlFact]
    public async Task Given_multi_document_file_then_server_side_apply_creates_every_object()
    {
        var file = Cli.WriteFile("demo.yaml", Manifests.NamespaceConfigMapDeployment);

        var result = (await Cli.RunAsync($"apply --server-side -f {file}")).ShouldSucceed();

        result.Output.ShouldContain("namespace/demo serverside-applied");
        result.Output.ShouldContain("configmap/settings serverside-applied");
        result.Output.ShouldContain("deployment.apps/web serverside-applied");
        var deployment = Json((await Cli.RunAsync("get deployment web -n demo -o json --show-managed-fields")).ShouldSucceed());
        deployment["spec"]!["replicas"]!.GetValue<int>().ShouldBe(2);
        deployment["metadata"]!["generation"]!.GetValue<int>().ShouldBe(1);
        var managed = deployment["metadata"]!["managedFields"]!.AsArray().ShouldHaveSingleItem()!;
        managed["manager"]!.GetValue<string>().ShouldBe("kubectl");
        managed["operation"]!.GetValue<string>().ShouldBe("Apply");
        Server.Requests.ShouldContain(r => r.Method == "PATCH" && r.ContentType == "application/apply-patch+yaml"
                                           && r.Query.Contains("fieldManager=kubectl", StringComparison.Ordinal));
    }

    [KubectlFact]
    public async Task Given_objects_then_get_filters_by_label_selectors_and_across_namespaces()
    {
        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("demo.yaml", Manifests.NamespaceConfigMapDeployment)}")).ShouldSucceed();
        Server.Cluster.Apply("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"api","namespace":"default","labels":{"app":"api"}}}""");

        Names(await Cli.RunAsync("get configmaps -A -l app=web -o json")).ShouldBe(["settings"]);
        Names(await Cli.RunAsync("get configmaps -A -l \"app in (web,api)\" -o json")).ShouldBe(["api", "settings"]);
        Names(await Cli.RunAsync("get configmaps -A -l \"!tier\" -o json")).ShouldBe(["api"]);
        Names(await Cli.RunAsync("get configmaps -A -l \"app notin (web),app\" -o json")).ShouldBe(["api"]);
        Names(await Cli.RunAsync("get configmaps -n demo -l app!=web -o json")).ShouldBeEmpty();
        Names(await Cli.RunAsync("get configmaps -o json")).ShouldBe(["api"]);
        Names(await Cli.RunAsync("get deployments --all-namespaces -o json")).ShouldBe(["web"]);
        var single = Json((await Cli.RunAsync("get configmap settings -n demo -o json")).ShouldSucceed());
        single["data"]!["greeting"]!.GetValue<string>().ShouldBe("hello");
    }

    [KubectlFact]
    public async Task Given_crd_applied_then_its_custom_resources_can_be_applied_listed_and_deleted()
    {
        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("crd.yaml", Manifests.WidgetCrd)}")).ShouldSucceed()
            .Output.ShouldContain("customresourcedefinition.apiextensions.k8s.io/widgets.example.com serverside-applied");

        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("widget.yaml", Manifests.Widget)}")).ShouldSucceed()
            .Output.ShouldContain("widget.example.com/gear serverside-applied");

        var widget = Json((await Cli.RunAsync("get widget gear -o json")).ShouldSucceed());
        widget["spec"]!["size"]!.GetValue<int>().ShouldBe(3);
        Names(await Cli.RunAsync("get wd -A -o json")).ShouldBe(["gear"]);
        var crd = Json((await Cli.RunAsync("get crd widgets.example.com -o json")).ShouldSucceed());
        crd["status"]!["conditions"]!.AsArray().ShouldContain(c => c!["type"]!.GetValue<string>() == "Established");

        (await Cli.RunAsync("delete crd widgets.example.com")).ShouldSucceed();
        (await Cli.RunAsync("api-resources --api-group=example.com --no-headers")).ShouldSucceed().Output.Trim().ShouldBeEmpty();
    }

    [KubectlFact]
    public async Task Given_field_owned_by_another_manager_then_apply_conflicts_unless_forced()
    {
        (await Cli.RunAsync($"apply --server-side --field-manager=alpha -f {Cli.WriteFile("a.yaml", Manifests.ConfigMap("shared", "default", "greeting", "hello"))}")).ShouldSucceed();
        var changed = Cli.WriteFile("b.yaml", Manifests.ConfigMap("shared", "default", "greeting", "bonjour"));

        var conflict = await Cli.RunAsync($"apply --server-side --field-manager=beta -f {changed}");

        conflict.ExitCode.ShouldNotBe(0);
        conflict.Error.ShouldContain("Apply failed with 1 conflict: conflict with \"alpha\" using v1: .data.greeting");
        Server.Requests.ShouldContain(r => r.Method == "PATCH" && r.StatusCode == 409);
        Server.Cluster.Get("v1", "ConfigMap", "default", "shared")!["data"]!["greeting"]!.GetValue<string>().ShouldBe("hello");

        (await Cli.RunAsync($"apply --server-side --field-manager=beta --force-conflicts -f {changed}")).ShouldSucceed();

        var stored = Server.Cluster.Get("v1", "ConfigMap", "default", "shared")!;
        stored["data"]!["greeting"]!.GetValue<string>().ShouldBe("bonjour");
        stored["metadata"]!["managedFields"]!.AsArray().Select(m => m!["manager"]!.GetValue<string>()).ShouldBe(["beta"]);
    }

    [KubectlFact]
    public async Task Given_image_set_by_another_tool_then_apply_conflicts_on_that_container_only()
    {
        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("demo.yaml", Manifests.NamespaceConfigMapDeployment)}")).ShouldSucceed();

        (await Cli.RunAsync("set image deployment/web web=nginx:1.28 -n demo")).ShouldSucceed();
        var conflict = await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("again.yaml", Manifests.NamespaceConfigMapDeployment)}");

        conflict.ExitCode.ShouldNotBe(0);
        conflict.Error.ShouldContain("""conflict with "kubectl-set" using apps/v1: .spec.template.spec.containers[name="web"].image""");
        var deployment = Server.Cluster.Get("apps/v1", "Deployment", "demo", "web")!;
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("nginx:1.28");
        deployment["metadata"]!["generation"]!.GetValue<int>().ShouldBe(2);
    }

    [KubectlFact]
    public async Task Given_deployment_scaled_then_a_later_apply_conflicts_on_replicas_with_the_scale_subresource()
    {
        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("demo.yaml", Manifests.NamespaceConfigMapDeployment)}")).ShouldSucceed();

        (await Cli.RunAsync("scale deployment/web -n demo --replicas=5")).ShouldSucceed().Output.ShouldContain("deployment.apps/web scaled");
        var conflict = await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("again.yaml", Manifests.NamespaceConfigMapDeployment)}");

        Server.Cluster.Get("apps/v1", "Deployment", "demo", "web")!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(5);
        conflict.ExitCode.ShouldNotBe(0);
        conflict.Error.ShouldContain("""with subresource "scale" using apps/v1: .spec.replicas""", customMessage: "kubectl scale names no field manager, so the server takes it from the user agent");
    }

    [KubectlFact]
    public async Task Given_server_dry_run_then_nothing_changes()
    {
        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("a.yaml", Manifests.ConfigMap("settings", "default", "greeting", "hello"))}")).ShouldSucceed();
        var version = Server.Cluster.ResourceVersion;

        var changed = await Cli.RunAsync($"apply --server-side --dry-run=server -f {Cli.WriteFile("b.yaml", Manifests.ConfigMap("settings", "default", "greeting", "bonjour"))}");
        var created = await Cli.RunAsync($"apply --server-side --dry-run=server -f {Cli.WriteFile("c.yaml", Manifests.ConfigMap("fresh", "default", "k", "v"))}");

        changed.ShouldSucceed().Output.ShouldContain("configmap/settings serverside-applied (server dry run)");
        created.ShouldSucceed().Output.ShouldContain("configmap/fresh serverside-applied (server dry run)");
        Server.Cluster.ResourceVersion.ShouldBe(version);
        Server.Cluster.Get("v1", "ConfigMap", "default", "settings")!["data"]!["greeting"]!.GetValue<string>().ShouldBe("hello");
        Server.Cluster.Get("v1", "ConfigMap", "default", "fresh").ShouldBeNull();
    }

    [KubectlFact]
    public async Task Given_invalid_manifest_then_server_dry_run_reports_it_as_invalid()
    {
        Server.Cluster.Apply("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"}}""");
        var manifest = Manifests.NamespaceConfigMapDeployment.Replace("app: web\n    spec:", "app: other\n    spec:", StringComparison.Ordinal);
        manifest.ShouldContain("app: other");

        var result = await Cli.RunAsync($"apply --server-side --dry-run=server -f {Cli.WriteFile("bad.yaml", manifest)}");

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain("Deployment \"web\" is invalid");
        result.Error.ShouldContain("`selector` does not match template `labels`");
    }

    [KubectlFact]
    public async Task Given_namespace_missing_then_apply_reports_it_not_found()
    {
        var result = await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("a.yaml", Manifests.ConfigMap("x", "nowhere", "k", "v"))}");

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain("namespaces \"nowhere\" not found");
    }

    private static JsonNode Json(KubectlResult result) => JsonNode.Parse(result.ShouldSucceed().Output)!;

    private static IReadOnlyList<string> Names(KubectlResult result) =>
        Json(result)["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
}
