using System.Text.Json.Nodes;
using Brokkr.Agent.Domain;

namespace Brokkr.Agent.Tests.Domain;

public sealed class ManifestParserTests
{
    [Fact]
    public void Multi_document_yaml_keeps_document_order_and_skips_empty_documents()
    {
        var objects = ManifestParser.Parse("""
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: first
              namespace: demo
            ---
            # only a comment
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: demo
            ---
            """);

        objects.Select(o => (o.Index, o.Kind, o.Name, o.Namespace)).ShouldBe([(0, "ConfigMap", "first", "demo"), (1, "Namespace", "demo", (string?)null)]);
        objects[1].IsNamespace.ShouldBeTrue();
    }

    [Fact]
    public void Empty_yaml_is_no_objects()
    {
        ManifestParser.Parse("").ShouldBeEmpty();
        ManifestParser.Parse("---\n---\n").ShouldBeEmpty();
    }

    [Fact]
    public void Scalars_are_typed_as_kubectl_reads_them()
    {
        var body = ManifestParser.Parse("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 3
              paused: false
              progressDeadlineSeconds: 6e2
              template:
                spec:
                  volumes:
                    - name: config
                      configMap: { name: web, defaultMode: 0644 }
                  containers:
                    - name: web
                      image: "nginx:1.27"
                      env:
                        - { name: QUOTED_NUMBER, value: "8080" }
                        - { name: WORD, value: yes }
                        - { name: NOTHING, value: ~ }
                        - { name: HEX, value: '0x1F' }
                      args: [ "--port", 8080, 1.5, -2 ]
            """).Single().Body;

        body["spec"]!["replicas"]!.GetValue<long>().ShouldBe(3);
        body["spec"]!["paused"]!.GetValue<bool>().ShouldBeFalse();
        body["spec"]!["progressDeadlineSeconds"]!.GetValue<double>().ShouldBe(600);
        var pod = body["spec"]!["template"]!["spec"]!;
        pod["volumes"]![0]!["configMap"]!["defaultMode"]!.GetValue<long>().ShouldBe(420);
        var container = pod["containers"]![0]!;
        container["image"]!.GetValue<string>().ShouldBe("nginx:1.27");
        var env = container["env"]!.AsArray();
        env[0]!["value"]!.GetValue<string>().ShouldBe("8080");
        env[1]!["value"]!.GetValue<string>().ShouldBe("yes");
        env[2]!["value"].ShouldBeNull();
        env[3]!["value"]!.GetValue<string>().ShouldBe("0x1F");
        container["args"]!.ToJsonString().ShouldBe("""["--port",8080,1.5,-2]""");
    }

    [Fact]
    public void Block_scalars_stay_strings()
    {
        var body = ManifestParser.Parse("""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: scripts }
            data:
              run.sh: |
                #!/bin/sh
                echo 42
              answer: "42"
            """).Single().Body;

        body["data"]!["run.sh"]!.GetValue<string>().ShouldBe("#!/bin/sh\necho 42\n");
        body["data"]!["answer"]!.GetValue<string>().ShouldBe("42");
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed", "invalid YAML")]
    [InlineData("kind: ConfigMap\nmetadata: { name: x }", "no apiVersion")]
    [InlineData("apiVersion: v1\nmetadata: { name: x }", "no kind")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {}", "no metadata.name")]
    [InlineData("- a\n- b", "not a mapping")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: { name: x }", "duplicate key")]
    public void Malformed_documents_are_refused_with_a_reason(string yaml, string reason)
        => Should.Throw<ManifestException>(() => ManifestParser.Parse(yaml)).Message.ShouldContain(reason);

    [Fact]
    public void Custom_resource_definitions_are_recognised()
    {
        var objects = ManifestParser.Parse("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: { name: widgets.example.com }
            ---
            apiVersion: example.com/v1
            kind: CustomResourceDefinition
            metadata: { name: not-really }
            """);
        objects.Select(o => o.IsCustomResourceDefinition).ShouldBe([true, false]);
        objects[0].Body["metadata"].ShouldBeOfType<JsonObject>();
    }
}
