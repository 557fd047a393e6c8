using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Tests.Support;

namespace Brokkr.FakeKube.Tests.Server;

public sealed class CustomResourceTests : ServerTest
{
    private const string TwoVersionCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: gadgets.example.com
        spec:
          group: example.com
          scope: Cluster
          names: {plural: gadgets, singular: gadget, kind: Gadget}
          versions:
          - {name: v1beta1, served: true, storage: false, schema: {openAPIV3Schema: {type: object}}}
          - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
        """;

    [Fact(Timeout = 30_000)]
    public async Task Given_crd_with_two_versions_then_one_object_is_served_at_both_and_v1_is_preferred()
    {
        using var http = Http();
        Server.Cluster.Apply(TwoVersionCrd);
        Server.Cluster.Apply("""{"apiVersion":"example.com/v1beta1","kind":"Gadget","metadata":{"name":"g"},"spec":{"x":1}}""");

        var asV1 = JsonNode.Parse(await http.GetStringAsync("/apis/example.com/v1/gadgets/g"))!;
        var asBeta = JsonNode.Parse(await http.GetStringAsync("/apis/example.com/v1beta1/gadgets/g"))!;
        var group = JsonNode.Parse(await http.GetStringAsync("/apis/example.com"))!;

        asV1["apiVersion"]!.GetValue<string>().ShouldBe("example.com/v1");
        asBeta["apiVersion"]!.GetValue<string>().ShouldBe("example.com/v1beta1");
        asV1["metadata"]!["uid"]!.GetValue<string>().ShouldBe(asBeta["metadata"]!["uid"]!.GetValue<string>());
        group["preferredVersion"]!["version"]!.GetValue<string>().ShouldBe("v1");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_custom_resource_then_strategic_merge_patch_is_refused_and_merge_patch_works()
    {
        using var http = Http();
        Server.Cluster.Apply(Manifests.WidgetCrd);
        Server.Cluster.Apply(Manifests.Widget);

        using var strategic = new StringContent("""{"spec":{"size":4}}""", Encoding.UTF8, "application/strategic-merge-patch+json");
        using var merge = new StringContent("""{"spec":{"size":5}}""", Encoding.UTF8, "application/merge-patch+json");
        var refused = await http.PatchAsync("/apis/example.com/v1/namespaces/default/widgets/gear", strategic);
        var merged = await http.PatchAsync("/apis/example.com/v1/namespaces/default/widgets/gear", merge);

        refused.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        merged.StatusCode.ShouldBe(HttpStatusCode.OK);
        Server.Cluster.Get("example.com/v1", "Widget", "default", "gear")!["spec"]!["size"]!.GetValue<int>().ShouldBe(5);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_custom_resource_with_status_subresource_then_status_is_written_apart_from_spec()
    {
        using var http = Http();
        Server.Cluster.Apply(Manifests.WidgetCrd);
        Server.Cluster.Apply(Manifests.Widget.Replace("size: 3", "size: 3\nstatus:\n  ready: true", StringComparison.Ordinal));

        var created = Server.Cluster.Get("example.com/v1", "Widget", "default", "gear")!;
        using var status = new StringContent("""{"status":{"ready":true}}""", Encoding.UTF8, "application/merge-patch+json");
        (await http.PatchAsync("/apis/example.com/v1/namespaces/default/widgets/gear/status", status)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var updated = Server.Cluster.Get("example.com/v1", "Widget", "default", "gear")!;

        created["status"].ShouldBeNull();
        updated["status"]!["ready"]!.GetValue<bool>().ShouldBeTrue();
        updated["metadata"]!["generation"]!.GetValue<int>().ShouldBe(1);
    }
}
