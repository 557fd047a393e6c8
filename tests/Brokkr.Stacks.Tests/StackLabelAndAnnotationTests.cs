using System.Text.Json;

namespace Brokkr.Stacks.Tests;

/// <summary>Stack labels (bare JSON string) and annotations (<c>{stack_id, key, value}</c>).</summary>
public sealed class StackLabelAndAnnotationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private async Task<(Guid Stack, (Guid Id, string Pak) Generator)> StackAsync()
    {
        var generator = await _given.GeneratorAsync();
        return (await _given.StackAsync(generator.Id), generator);
    }

    private Task<HttpResponseMessage> AddLabelAsync(Guid stack, string label, HttpClient? client = null)
        => (client ?? api.Admin()).PostJsonAsync($"/api/v1/stacks/{stack}/labels", JsonSerializer.Serialize(label));

    [Fact]
    public async Task Label_is_a_bare_json_string_and_lists_with_exact_keys()
    {
        var (stack, generator) = await StackAsync();

        var created = await (await AddLabelAsync(stack, "env:prod", api.WithPak(generator.Pak))).JsonAsync(HttpStatusCode.Created);
        await AddLabelAsync(stack, "app.kubernetes.io/name");

        created.ShouldHaveExactKeys("id", "stack_id", "label");
        created.Str("label").ShouldBe("env:prod");
        created.Id("stack_id").ShouldBe(stack);
        var labels = await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/stacks/{stack}/labels")).ArrayAsync();
        labels.Select(l => l!.Str("label")).ShouldBe(["env:prod", "app.kubernetes.io/name"]);
        labels[0]!.ToJsonString().ShouldBe(created.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("nbsp\u00a0here")]
    [InlineData("ideographic\u3000space")]
    [InlineData("nul\u0000here")]
    public async Task Invalid_label_is_400(string label)
    {
        var (stack, _) = await StackAsync();

        await (await AddLabelAsync(stack, label)).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_label");
    }

    [Fact]
    public async Task Label_limit_is_64_bytes_of_utf8()
    {
        var (stack, _) = await StackAsync();

        (await AddLabelAsync(stack, new string('a', 64))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await AddLabelAsync(stack, new string('é', 32))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await AddLabelAsync(stack, new string('a', 65))).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_label");
        await (await AddLabelAsync(stack, new string('é', 33))).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_label");
    }

    [Fact]
    public async Task Label_body_must_be_a_json_string()
    {
        var (stack, _) = await StackAsync();

        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/labels", "{\"label\":\"x\"}")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/labels", "null")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/labels", "\"unterminated")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await api.Admin().SendRawAsync(HttpMethod.Post, $"/api/v1/stacks/{stack}/labels", "\"x\"", "text/plain")).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        var surrogate = await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/labels", "\"a\\ud800\"");
        ((int)surrogate.StatusCode).ShouldBeInRange(400, 499);
    }

    [Fact]
    public async Task Duplicate_label_is_409_and_label_checks_follow_existence_and_ownership()
    {
        var (stack, _) = await StackAsync();
        var other = await _given.GeneratorAsync();
        (await AddLabelAsync(stack, "dup")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var clash = await (await AddLabelAsync(stack, "dup")).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");
        clash["details"]!.Str("constraint").ShouldBe("unique_stack_label");
        await (await AddLabelAsync(Guid.NewGuid(), "has space")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await AddLabelAsync(stack, "has space", api.WithPak(other.Pak))).ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
    }

    [Fact]
    public async Task Sql_looking_label_is_stored_verbatim_and_removable()
    {
        var (stack, _) = await StackAsync();
        const string label = "';DROP_TABLE_stack_labels;--";

        (await AddLabelAsync(stack, label)).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/labels")).ArrayAsync()).Select(l => l!.Str("label")).ShouldBe([label]);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}/labels/{Uri.EscapeDataString(label)}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/labels")).ArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Labels_with_slashes_can_be_removed_encoded_or_not()
    {
        var (stack, _) = await StackAsync();
        await AddLabelAsync(stack, "app.kubernetes.io/name");
        await AddLabelAsync(stack, "a/b/c");

        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}/labels/app.kubernetes.io%2Fname")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}/labels/a/b/c")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/labels")).ArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Removing_a_missing_label_or_annotation_is_404_with_its_own_code()
    {
        var (stack, _) = await StackAsync();

        await (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}/labels/nope")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_label_not_found");
        await (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}/annotations/nope")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_annotation_not_found");
        await (await api.Admin().DeleteAsync($"/api/v1/stacks/{Guid.NewGuid()}/labels/nope")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.Admin().DeleteAsync($"/api/v1/stacks/{Guid.NewGuid()}/annotations/nope")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
    }

    [Fact]
    public async Task Admin_reads_labels_and_annotations_of_any_id_but_others_get_404_first()
    {
        var generator = await _given.GeneratorAsync();
        var unknown = Guid.NewGuid();

        (await (await api.Admin().GetAsync($"/api/v1/stacks/{unknown}/labels")).ArrayAsync()).ShouldBeEmpty();
        (await (await api.Admin().GetAsync($"/api/v1/stacks/{unknown}/annotations")).ArrayAsync()).ShouldBeEmpty();
        await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/stacks/{unknown}/labels")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/stacks/{unknown}/annotations")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
    }

    [Fact]
    public async Task Annotation_has_exact_keys_and_lists_in_insertion_order()
    {
        var (stack, generator) = await StackAsync();

        var created = await (await api.WithPak(generator.Pak).PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = "team", value = "a" }))
            .JsonAsync(HttpStatusCode.Created);
        await _given.StackAnnotationAsync(stack, "tier", "web");

        created.ShouldHaveExactKeys("id", "stack_id", "key", "value");
        var annotations = await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/stacks/{stack}/annotations")).ArrayAsync();
        annotations.Select(a => a!.Str("key") + "=" + a!.Str("value")).ShouldBe(["team=a", "tier=web"]);
        annotations[0]!.ToJsonString().ShouldBe(created.ToJsonString());
    }

    [Fact]
    public async Task Annotation_checks_run_in_the_reference_order()
    {
        var (stack, _) = await StackAsync();
        var other = await _given.GeneratorAsync();
        await _given.StackAnnotationAsync(stack, "k", "v");
        var tooLong = new string('k', 65);

        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{Guid.NewGuid()}/annotations", new { stack_id = Guid.NewGuid(), key = tooLong, value = "v" }))
            .ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.WithPak(other.Pak).PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = Guid.NewGuid(), key = tooLong, value = "v" }))
            .ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = Guid.NewGuid(), key = tooLong, value = "v" }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "stack_id_mismatch");
        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = tooLong, value = "v" }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_annotation");
        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = "k2", value = new string('v', 65) }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_annotation");
        var clash = await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = "k", value = "other" }))
            .ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");
        clash["details"]!.Str("constraint").ShouldBe("unique_stack_annotation_key");
    }

    [Fact]
    public async Task Annotations_accept_anything_up_to_64_characters()
    {
        var (stack, _) = await StackAsync();

        (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = "", value = "with space" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = new string('é', 64), value = string.Concat(Enumerable.Repeat("😀", 64)) }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = "'; DROP TABLE x; --", value = "v" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { stack_id = stack, key = "nul", value = "a\u0000" }))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_annotation");

        var keys = (await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/annotations")).ArrayAsync()).Select(a => a!.Str("key")).ToList();
        keys.ShouldBe(["", new string('é', 64), "'; DROP TABLE x; --"]);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}/annotations/{Uri.EscapeDataString("'; DROP TABLE x; --")}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Annotation_body_shape_errors_are_422_and_malformed_json_400()
    {
        var (stack, _) = await StackAsync();

        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", new { key = "k", value = "v" })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/annotations", "{\"stack_id\":")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
    }
}
