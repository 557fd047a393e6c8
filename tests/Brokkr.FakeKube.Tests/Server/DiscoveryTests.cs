using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Tests.Support;

namespace Brokkr.FakeKube.Tests.Server;

public sealed class DiscoveryTests : ServerTest
{
    [Fact(Timeout = 30_000)]
    public async Task Given_aggregated_discovery_asked_for_then_every_group_comes_in_one_document()
    {
        using var http = Http();

        using var response = await http.SendAsync(AggregatedRequest("/apis"));

        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList");
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        list["kind"]!.GetValue<string>().ShouldBe("APIGroupDiscoveryList");
        var apps = list["items"]!.AsArray().Single(g => g!["metadata"]!["name"]!.GetValue<string>() == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "deployments")!;
        deployments["scope"]!.GetValue<string>().ShouldBe("Namespaced");
        deployments["shortNames"]!.AsArray().Single()!.GetValue<string>().ShouldBe("deploy");
        deployments["responseKind"]!["kind"]!.GetValue<string>().ShouldBe("Deployment");
        var subresources = deployments["subresources"]!.AsArray().ToDictionary(r => r!["subresource"]!.GetValue<string>());
        subresources.Keys.ShouldBe(["status", "scale"]);
        subresources["scale"]!["responseKind"]!["kind"]!.GetValue<string>().ShouldBe("Scale");
        subresources["scale"]!["responseKind"]!["group"]!.GetValue<string>().ShouldBe("autoscaling");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_aggregated_discovery_switched_off_then_the_legacy_document_comes_back_as_plain_json()
    {
        await using var server = await FakeKubeServer.StartAsync(options: new FakeKubeOptions { AggregatedDiscovery = false });
        using var http = new HttpClient { BaseAddress = server.Url };

        using var response = await http.SendAsync(AggregatedRequest("/apis"));

        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json");
        var groups = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        groups["kind"]!.GetValue<string>().ShouldBe("APIGroupList");
        groups["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>())
            .ShouldBe(["apps", "batch", "coordination.k8s.io", "networking.k8s.io", "rbac.authorization.k8s.io", "apiextensions.k8s.io"], ignoreOrder: true);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_health_probes_then_they_answer_ok()
    {
        using var http = Http();

        (await http.GetStringAsync("/readyz")).ShouldBe("ok");
        (await http.GetStringAsync("/livez")).ShouldBe("ok");
        (await http.GetStringAsync("/healthz")).ShouldBe("ok");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_core_group_then_resources_list_subresources_and_verbs()
    {
        using var http = Http();

        var core = JsonNode.Parse(await http.GetStringAsync("/api/v1"))!;
        var versions = JsonNode.Parse(await http.GetStringAsync("/api"))!;

        versions["versions"]!.AsArray().Single()!.GetValue<string>().ShouldBe("v1");
        var resources = core["resources"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>());
        resources["pods/log"]!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["get"]);
        resources["pods/status"]!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["get", "patch", "update"]);
        resources["configmaps"]!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldContain("watch");
        resources["namespaces"]!["namespaced"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_openapi_v3_then_each_kind_declares_field_validation_on_patch()
    {
        using var http = Http();

        var root = JsonNode.Parse(await http.GetStringAsync("/openapi/v3"))!;
        var apps = JsonNode.Parse(await http.GetStringAsync(root["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>()))!;
        var v2 = await http.GetAsync("/openapi/v2");

        var patch = apps["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>().ShouldBe("Deployment");
        patch["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldContain("fieldValidation");
        v2.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_table_accept_header_then_lists_come_back_as_tables()
    {
        using var http = Http();
        Server.Cluster.Apply(Manifests.Pod("runner", "default"));
        http.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));

        var table = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/pods"))!;

        table["kind"]!.GetValue<string>().ShouldBe("Table");
        table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ShouldBe(["Name", "Status", "Age"]);
        table["rows"]!.AsArray().Single()!["cells"]![1]!.GetValue<string>().ShouldBe("Pending");
    }

    private static HttpRequestMessage AggregatedRequest(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(
            "Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        return request;
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_unknown_resource_then_the_answer_is_a_not_found_status()
    {
        using var http = Http();

        var response = await http.GetAsync("/apis/example.com/v1/widgets");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        status["kind"]!.GetValue<string>().ShouldBe("Status");
        status["reason"]!.GetValue<string>().ShouldBe("NotFound");
        status["message"]!.GetValue<string>().ShouldBe("the server could not find the requested resource");
    }
}
