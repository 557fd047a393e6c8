using System.Text.Json.Nodes;
using Brokkr.FakeKube.Apply;
using Brokkr.FakeKube.Serialization;

namespace Brokkr.FakeKube.Tests.Unit;

public sealed class FieldOwnershipTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly FieldSchema Schema = new(FieldScope.Object, BuiltinListKeys.Of);

    [Fact]
    public void Given_first_apply_then_the_manager_owns_every_leaf_of_its_configuration()
    {
        var result = Apply(Empty(), [], """{"metadata":{"labels":{"app":"web"}},"data":{"a":"1","b":"2"}}""", "alpha");

        result.Body["data"]!["a"]!.GetValue<string>().ShouldBe("1");
        var entry = result.Managers.ShouldHaveSingleItem();
        entry.Manager.ShouldBe("alpha");
        entry.Operation.ShouldBe("Apply");
        entry.Fields.Select(f => f.ToString()).Order().ShouldBe([".data.a", ".data.b", ".metadata.labels.app"]);
    }

    [Fact]
    public void Given_server_fields_in_configuration_then_they_are_not_owned()
    {
        var result = Apply(Empty(), [], """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"d","resourceVersion":"9"},"status":{"x":1},"data":{"a":"1"}}""", "alpha");

        result.Managers.Single().Fields.Select(f => f.ToString()).ShouldBe([".data.a"]);
    }

    [Fact]
    public void Given_reapply_without_a_field_then_that_field_is_removed()
    {
        var first = Apply(Empty(), [], """{"metadata":{"labels":{"app":"web","tier":"front"}},"data":{"a":"1","b":"2"}}""", "alpha");

        var second = Apply(first.Body, first.Managers, """{"metadata":{"labels":{"app":"web"}},"data":{"a":"1"}}""", "alpha");

        second.Body["data"]!.AsObject().Select(p => p.Key).ShouldBe(["a"]);
        second.Body["metadata"]!["labels"]!.AsObject().Select(p => p.Key).ShouldBe(["app"]);
    }

    [Fact]
    public void Given_field_also_owned_by_another_manager_then_dropping_it_keeps_the_value()
    {
        var alpha = Apply(Empty(), [], """{"data":{"shared":"x","mine":"y"}}""", "alpha");
        var beta = Apply(alpha.Body, alpha.Managers, """{"data":{"shared":"x"}}""", "beta");

        var result = Apply(beta.Body, beta.Managers, """{"data":{}}""", "alpha");

        result.Body["data"]!["shared"]!.GetValue<string>().ShouldBe("x");
        result.Body["data"]!["mine"].ShouldBeNull();
        result.Managers.Single(m => m.Manager == "beta").Fields.Select(f => f.ToString()).ShouldBe([".data.shared"]);
    }

    [Fact]
    public void Given_other_manager_owns_field_with_different_value_then_apply_conflicts()
    {
        var alpha = Apply(Empty(), [], """{"data":{"greeting":"hello"}}""", "alpha");

        var conflict = Should.Throw<ApplyConflictException>(() =>
            Apply(alpha.Body, alpha.Managers, """{"data":{"greeting":"bonjour"}}""", "beta"));

        conflict.Conflicts.ShouldHaveSingleItem().ShouldBe(new ApplyConflict("alpha", "v1", FieldPath.Of("data", "greeting")));
        conflict.Message.ShouldBe("Apply failed with 1 conflict: conflict with \"alpha\" using v1: .data.greeting");
    }

    [Fact]
    public void Given_force_then_the_applier_takes_the_field_from_the_other_manager()
    {
        var alpha = Apply(Empty(), [], """{"data":{"greeting":"hello","other":"o"}}""", "alpha");

        var beta = Apply(alpha.Body, alpha.Managers, """{"data":{"greeting":"bonjour"}}""", "beta", force: true);

        beta.Body["data"]!["greeting"]!.GetValue<string>().ShouldBe("bonjour");
        beta.Managers.Single(m => m.Manager == "alpha").Fields.Select(f => f.ToString()).ShouldBe([".data.other"]);
        beta.Managers.Single(m => m.Manager == "beta").Fields.Select(f => f.ToString()).ShouldBe([".data.greeting"]);
    }

    [Fact]
    public void Given_same_value_then_two_managers_share_the_field_without_conflict()
    {
        var alpha = Apply(Empty(), [], """{"data":{"greeting":"hello"}}""", "alpha");

        var beta = Apply(alpha.Body, alpha.Managers, """{"data":{"greeting":"hello"}}""", "beta");

        beta.Managers.Count.ShouldBe(2);
        beta.Managers.ShouldAllBe(m => m.Fields.Contains(FieldPath.Of("data", "greeting")));
    }

    [Fact]
    public void Given_identical_reapply_then_managers_keep_their_order_and_fields()
    {
        var alpha = Apply(Empty(), [], """{"data":{"a":"1"}}""", "alpha");
        var beta = Apply(alpha.Body, alpha.Managers, """{"data":{"b":"2"}}""", "beta");

        var again = Apply(beta.Body, beta.Managers, """{"data":{"a":"1"}}""", "alpha");

        again.Managers.Select(m => m.Manager).ShouldBe(["alpha", "beta"]);
        again.Body.ToJsonString().ShouldBe(beta.Body.ToJsonString());
    }

    [Fact]
    public void Given_atomic_list_then_it_is_owned_and_replaced_as_one_value()
    {
        var first = Apply(Empty(), [], """{"spec":{"args":["a","b"]}}""", "alpha");

        var second = Apply(first.Body, first.Managers, """{"spec":{"args":["c"]}}""", "alpha");

        second.Body["spec"]!["args"]!.ToJsonString().ShouldBe("""["c"]""");
        second.Managers.Single().Fields.Select(f => f.ToString()).ShouldBe([".spec.args"]);
    }

    [Fact]
    public void Given_associative_list_then_each_manager_owns_its_own_items()
    {
        var alpha = Apply(Empty(), [], """{"spec":{"containers":[{"name":"app","image":"app:1"}]}}""", "alpha");

        var beta = Apply(alpha.Body, alpha.Managers, """{"spec":{"containers":[{"name":"sidecar","image":"proxy:1"}]}}""", "beta");
        var alphaAgain = Apply(beta.Body, beta.Managers, """{"spec":{"containers":[{"name":"app","image":"app:2"}]}}""", "alpha");

        alphaAgain.Body["spec"]!["containers"]!.ToJsonString()
            .ShouldBe("""[{"name":"app","image":"app:2"},{"name":"sidecar","image":"proxy:1"}]""");
        alphaAgain.Managers.Single(m => m.Manager == "beta").Fields.Select(f => f.ToString()).Order()
            .ShouldBe([""".spec.containers[name="sidecar"].image""", """.spec.containers[name="sidecar"].name"""]);
    }

    [Fact]
    public void Given_item_dropped_from_configuration_then_only_that_item_goes()
    {
        var first = Apply(Empty(), [], """{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}""", "alpha");

        var second = Apply(first.Body, first.Managers, """{"spec":{"ports":[{"port":443,"name":"https"}]}}""", "alpha");

        second.Body["spec"]!["ports"]!.ToJsonString().ShouldBe("""[{"port":443,"name":"https"}]""");
    }

    [Fact]
    public void Given_item_field_owned_by_another_manager_then_changing_it_conflicts_with_the_item_path()
    {
        var alpha = Apply(Empty(), [], """{"spec":{"containers":[{"name":"app","image":"app:1"}]}}""", "alpha");

        var conflict = Should.Throw<ApplyConflictException>(() =>
            Apply(alpha.Body, alpha.Managers, """{"spec":{"containers":[{"name":"app","image":"app:2"}]}}""", "beta"));

        conflict.Message.ShouldBe("""Apply failed with 1 conflict: conflict with "alpha" using v1: .spec.containers[name="app"].image""");
    }

    [Fact]
    public void Given_list_items_without_their_key_then_the_list_is_atomic()
    {
        var alpha = Apply(Empty(), [], """{"spec":{"containers":[{"image":"a"}]}}""", "alpha");

        alpha.Managers.Single().Fields.Select(f => f.ToString()).ShouldBe([".spec.containers"]);
    }

    [Fact]
    public void Given_empty_map_in_configuration_then_existing_entries_are_kept()
    {
        var alpha = Apply(Empty(), [], """{"metadata":{"labels":{"team":"a"}}}""", "alpha");

        var beta = Apply(alpha.Body, alpha.Managers, """{"metadata":{"labels":{}}}""", "beta");

        beta.Body["metadata"]!["labels"]!["team"]!.GetValue<string>().ShouldBe("a");
    }

    [Fact]
    public void Given_update_then_the_writer_takes_the_fields_it_changed_from_appliers()
    {
        var alpha = Apply(Empty(), [], """{"spec":{"replicas":2,"paused":false}}""", "alpha");
        var after = (JsonObject)alpha.Body.DeepClone();
        after["spec"]!["replicas"] = 5;

        var managers = FieldOwnership.RecordUpdate(alpha.Body, after, alpha.Managers, "kubectl-scale", "apps/v1", Schema, Now);

        managers.Single(m => m.Manager == "alpha").Fields.Select(f => f.ToString()).ShouldBe([".spec.paused"]);
        var scale = managers.Single(m => m.Manager == "kubectl-scale");
        scale.Operation.ShouldBe("Update");
        scale.Fields.Select(f => f.ToString()).ShouldBe([".spec.replicas"]);
    }

    [Fact]
    public void Given_update_that_changes_nothing_then_ownership_is_unchanged()
    {
        var alpha = Apply(Empty(), [], """{"data":{"a":"1"}}""", "alpha");

        var managers = FieldOwnership.RecordUpdate(alpha.Body, alpha.Body, alpha.Managers, "other", "v1", Schema, Now);

        managers.ShouldBeSameAs(alpha.Managers);
    }

    [Fact]
    public void Given_ownership_then_managed_fields_render_as_fieldsV1()
    {
        var alpha = Apply(Empty(), [], """{"metadata":{"labels":{"app":"web"}},"data":{"a":"1"}}""", "alpha");

        var rendered = ManagedFieldsRenderer.Render(alpha.Managers).ShouldHaveSingleItem()!.AsObject();

        rendered["manager"]!.GetValue<string>().ShouldBe("alpha");
        rendered["fieldsType"]!.GetValue<string>().ShouldBe("FieldsV1");
        rendered["time"]!.GetValue<string>().ShouldBe("2025-01-01T00:00:00Z");
        rendered["fieldsV1"]!.ToJsonString().ShouldBe("""{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""");
    }

    [Fact]
    public void Given_list_item_ownership_then_fieldsV1_names_the_item_by_key()
    {
        var alpha = Apply(Empty(), [], """{"spec":{"containers":[{"name":"app","image":"a"}]}}""", "alpha");

        var rendered = KubeJson.Serialize(ManagedFieldsRenderer.Render(alpha.Managers).Single()!["fieldsV1"]!);

        rendered.ShouldBe("""{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{}}}}}""");
    }

    private static JsonObject Empty() => new() { ["metadata"] = new JsonObject { ["name"] = "x" } };

    private static FieldOwnership.Result Apply(
        JsonObject live, IReadOnlyList<ManagedEntry> managers, string config, string manager, bool force = false) =>
        FieldOwnership.Apply(live, managers, JsonNode.Parse(config)!.AsObject(), manager, force, "v1", Schema, Now);
}
