using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;
using Brokkr.Contracts.Stacks;

namespace Brokkr.Agent.Tests.Domain;

public sealed class ApplyPlannerTests
{
    private static readonly Guid Agent = Guid.NewGuid();

    internal static DeploymentObject Revision(string yaml, Guid? stack = null, long sequence = 1, string? checksum = null) => new(
        Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow, null, sequence, stack ?? Guid.NewGuid(), yaml, checksum ?? $"sum-{sequence}", DateTime.UtcNow, false);

    private const string Bundle = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: shop }
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: { name: w1, namespace: shop }
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: { name: widgets.example.com }
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: shop
          annotations:
            team: payments
            brokkr.io/owner-id: forged
          labels:
            app: web
        ---
        apiVersion: v1
        kind: Namespace
        metadata: { name: shop }
        ---
        apiVersion: v1
        kind: Namespace
        metadata: { name: shop-jobs }
        """;

    [Fact]
    public void Namespaces_come_first_then_crds_then_the_rest_in_document_order()
    {
        var plan = ApplyPlanner.Plan(Revision(Bundle), Agent, ManifestParser.Parse(Bundle));

        plan.Select(p => $"{p.Priority}:{p.Kind}/{p.Name}").ShouldBe([
            "Namespace:Namespace/shop",
            "Namespace:Namespace/shop-jobs",
            "CustomResourceDefinition:CustomResourceDefinition/widgets.example.com",
            "Other:Deployment/web",
            "Other:Widget/w1",
            "Other:ConfigMap/settings",
        ]);
    }

    [Fact]
    public void The_five_annotations_are_stamped_and_win_over_the_manifests_own()
    {
        var revision = Revision(Bundle);
        var plan = ApplyPlanner.Plan(revision, Agent, ManifestParser.Parse(Bundle));
        var settings = plan.Single(p => p.Name == "settings").Body;

        var annotations = settings["metadata"]!["annotations"]!.AsObject();
        annotations["k8s.brokkr.io/stack"]!.GetValue<string>().ShouldBe(revision.StackId.ToString());
        annotations["k8s.brokkr.io/deployment-checksum"]!.GetValue<string>().ShouldBe(revision.YamlChecksum);
        annotations["brokkr.io/deployment-object-id"]!.GetValue<string>().ShouldBe(revision.Id.ToString());
        annotations["k8s.brokkr.io/last-config-applied"]!.GetValue<string>().ShouldBe(revision.YamlChecksum);
        annotations["brokkr.io/owner-id"]!.GetValue<string>().ShouldBe(Agent.ToString());
        annotations["team"]!.GetValue<string>().ShouldBe("payments");
        var labels = settings["metadata"]!["labels"]!.AsObject();
        labels["app"]!.GetValue<string>().ShouldBe("web");
        labels["k8s.brokkr.io/stack"]!.GetValue<string>().ShouldBe(revision.StackId.ToString());
    }

    [Fact]
    public void Pod_templates_and_the_parsed_manifest_are_left_alone()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: web }
            spec:
              template:
                metadata: { labels: { app: web } }
            """;
        var parsed = ManifestParser.Parse(yaml);
        var plan = ApplyPlanner.Plan(Revision(yaml), Agent, parsed);

        plan[0].Body["spec"]!["template"]!["metadata"]!.ToJsonString().ShouldBe("""{"labels":{"app":"web"}}""");
        parsed[0].Body["metadata"]!.AsObject().ContainsKey("annotations").ShouldBeFalse();
    }

    [Fact]
    public void A_live_object_of_the_same_revision_and_owner_needs_no_write()
    {
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: d }";
        var revision = Revision(yaml);
        var planned = ApplyPlanner.Plan(revision, Agent, ManifestParser.Parse(yaml)).Single();
        var live = (JsonObject)planned.Body.DeepClone();

        ApplyPlanner.NeedsWrite(planned, live, revision, Agent).ShouldBeFalse();
        ApplyPlanner.NeedsWrite(planned, null, revision, Agent).ShouldBeTrue();
        ApplyPlanner.NeedsWrite(planned, live, revision with { Id = Guid.NewGuid() }, Agent).ShouldBeTrue();
        ApplyPlanner.NeedsWrite(planned, live, revision with { YamlChecksum = "other" }, Agent).ShouldBeTrue();
        ApplyPlanner.NeedsWrite(planned, live, revision, Guid.NewGuid()).ShouldBeTrue();
        live["metadata"]!["deletionTimestamp"] = "2025-01-01T00:00:00Z";
        ApplyPlanner.NeedsWrite(planned, live, revision, Agent).ShouldBeTrue();
    }
}
