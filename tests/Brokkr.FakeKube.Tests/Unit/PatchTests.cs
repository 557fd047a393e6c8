using System.Text.Json.Nodes;
using Brokkr.FakeKube.Apply;
using Brokkr.FakeKube.Serialization;

namespace Brokkr.FakeKube.Tests.Unit;

public sealed class PatchTests
{
    private static JsonObject Target() => JsonNode.Parse("""{"a":{"b":1,"c":[1,2]},"d":"x"}""")!.AsObject();

    [Fact]
    public void Given_merge_patch_then_maps_merge_nulls_remove_and_lists_replace()
    {
        var patch = JsonNode.Parse("""{"a":{"b":null,"c":[3],"e":true},"d":"y"}""")!.AsObject();

        MergePatch.Apply(Target(), patch).ToJsonString().ShouldBe("""{"a":{"c":[3],"e":true},"d":"y"}""");
    }

    [Fact]
    public void Given_json_patch_then_operations_apply_in_order()
    {
        var operations = JsonNode.Parse("""
            [{"op":"test","path":"/d","value":"x"},
             {"op":"replace","path":"/d","value":"z"},
             {"op":"add","path":"/a/c/-","value":9},
             {"op":"remove","path":"/a/b"},
             {"op":"add","path":"/labels~1x","value":"v"}]
            """)!.AsArray();

        JsonPatch.Apply(Target(), operations).ToJsonString().ShouldBe("""{"a":{"c":[1,2,9]},"d":"z","labels/x":"v"}""");
    }

    [Fact]
    public void Given_failing_test_operation_then_the_patch_is_rejected()
    {
        var operations = JsonNode.Parse("""[{"op":"test","path":"/d","value":"nope"}]""")!.AsArray();

        Should.Throw<InvalidPatchException>(() => JsonPatch.Apply(Target(), operations));
    }

    [Fact]
    public void Given_strategic_merge_patch_then_keyed_list_items_merge_and_directives_delete()
    {
        var deployment = JsonNode.Parse("""
            {"spec":{"template":{"spec":{"containers":[{"name":"web","image":"a","ports":[{"containerPort":80}]},{"name":"proxy","image":"p"}],"args":["x"]}}}}
            """)!.AsObject();
        var patch = JsonNode.Parse("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
              "containers":[{"name":"web","image":"b"},{"name":"proxy","$patch":"delete"},{"name":"new","image":"n"}],"args":["y"]}}}}
            """)!.AsObject();

        var result = StrategicMergePatch.Apply(deployment, patch, BuiltinListKeys.Of);

        result.ToJsonString().ShouldBe("""
            {"spec":{"template":{"spec":{"containers":[{"name":"web","image":"b","ports":[{"containerPort":80}]},{"name":"new","image":"n"}],"args":["y"]}}}}
            """.Trim());
    }

    [Fact]
    public void Given_yaml_then_plain_scalars_follow_the_core_schema()
    {
        var node = KubeJson.ParseBody("""
            a: 1
            b: "1"
            c: true
            d: 1.5
            e: ~
            f: [x, 2]
            g: 'yes'
            """, allowYaml: true)!;

        node.ToJsonString().ShouldBe("""{"a":1,"b":"1","c":true,"d":1.5,"e":null,"f":["x",2],"g":"yes"}""");
    }
}
