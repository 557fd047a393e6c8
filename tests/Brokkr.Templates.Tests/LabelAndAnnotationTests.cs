using System.Text.Json;

namespace Brokkr.Templates.Tests;

/// <summary>Template labels and annotations (details §4.7): validation, duplicates, removal.</summary>
public sealed class LabelAndAnnotationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    [Fact]
    public async Task Label_is_added_listed_and_removed_with_the_reference_shape()
    {
        var template = (await _given.Admin.CreateTemplateAsync()).Id();

        var label = await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{template}/labels", "\"env:prod\"")).JsonAsync(HttpStatusCode.Created);
        await _given.Admin.TemplateLabelAsync(template, "app.kubernetes.io/name");

        label.ShouldHaveExactKeys("id", "template_id", "label", "created_at");
        label.Id("template_id").ShouldBe(template);
        label.Str("label").ShouldBe("env:prod");
        var list = await (await _given.Admin.GetAsync($"/api/v1/templates/{template}/labels")).ArrayAsync();
        list.Select(l => l!.Str("label")).ShouldBe(["env:prod", "app.kubernetes.io/name"]);
        (await _given.Admin.DeleteAsync($"/api/v1/templates/{template}/labels/env:prod")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _given.Admin.DeleteAsync($"/api/v1/templates/{template}/labels/app.kubernetes.io%2Fname")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await _given.Admin.GetAsync($"/api/v1/templates/{template}/labels")).ArrayAsync()).ShouldBeEmpty();
        await (await _given.Admin.DeleteAsync($"/api/v1/templates/{template}/labels/env:prod")).ShouldFailAsync(HttpStatusCode.NotFound, "template_label_not_found");
    }

    [Fact]
    public async Task Annotation_is_added_listed_and_removed_with_the_reference_shape()
    {
        var template = (await _given.Admin.CreateTemplateAsync()).Id();

        var annotation = await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{template}/annotations", new { key = "team", value = "a" })).JsonAsync(HttpStatusCode.Created);

        annotation.ShouldHaveExactKeys("id", "template_id", "key", "value", "created_at");
        annotation.Str("key").ShouldBe("team");
        annotation.Str("value").ShouldBe("a");
        (await (await _given.Admin.GetAsync($"/api/v1/templates/{template}/annotations")).ArrayAsync()).Count.ShouldBe(1);
        (await _given.Admin.DeleteAsync($"/api/v1/templates/{template}/annotations/team")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await _given.Admin.DeleteAsync($"/api/v1/templates/{template}/annotations/team")).ShouldFailAsync(HttpStatusCode.NotFound, "template_annotation_not_found");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    [InlineData("nbsp\u00a0here")]
    [InlineData("nul\u0000")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("ééééééééééééééééééééééééééééééééé")]
    public async Task Invalid_labels_are_400(string label)
    {
        var template = (await _given.Admin.CreateTemplateAsync()).Id();

        await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{template}/labels", JsonSerializer.Serialize(label))).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_label");
    }

    [Fact]
    public async Task A_label_of_exactly_64_bytes_is_accepted()
    {
        var template = (await _given.Admin.CreateTemplateAsync()).Id();

        await _given.Admin.TemplateLabelAsync(template, new string('l', 64));
        await _given.Admin.TemplateLabelAsync(template, new string('é', 32));
    }

    [Theory]
    [InlineData("", "v")]
    [InlineData("k", "")]
    [InlineData("a key", "v")]
    [InlineData("k", "a value")]
    [InlineData("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "v")]
    [InlineData("k", "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv")]
    public async Task Invalid_annotations_are_400(string key, string value)
    {
        var template = (await _given.Admin.CreateTemplateAsync()).Id();

        await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{template}/annotations", new { key, value })).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_annotation");
    }

    [Fact]
    public async Task Duplicates_are_409()
    {
        var template = (await _given.Admin.CreateTemplateAsync()).Id();
        await _given.Admin.TemplateLabelAsync(template, "dup");
        await _given.Admin.TemplateAnnotationAsync(template, "key", "one");

        var label = await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{template}/labels", "\"dup\"")).ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");
        var annotation = await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{template}/annotations", new { key = "key", value = "two" }))
            .ShouldFailAsync(HttpStatusCode.Conflict, "unique_violation");

        label["details"]!.Str("constraint").ShouldBe("unique_template_label");
        annotation["details"]!.Str("constraint").ShouldBe("unique_template_annotation_key");
    }

    [Fact]
    public async Task Bad_bodies_are_refused_before_the_template_is_looked_up()
    {
        var unknown = Guid.NewGuid();

        await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{unknown}/labels", "{\"label\":\"x\"}")).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{unknown}/labels", "\"x")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_json");
        await (await _given.Admin.SendRawAsync(HttpMethod.Post, $"/api/v1/templates/{unknown}/labels", "\"x\"", "text/plain")).ShouldFailAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await (await _given.Admin.PostJsonAsync($"/api/v1/templates/{unknown}/annotations", new { key = "k" })).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_request_body");
        (await _given.Admin.GetAsync("/api/v1/templates/xyz/labels")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _given.Admin.DeleteAsync("/api/v1/templates/xyz/annotations/k")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Sql_looking_labels_are_stored_verbatim()
    {
        var template = (await _given.Admin.CreateTemplateAsync()).Id();

        await _given.Admin.TemplateLabelAsync(template, "x';DROP--");
        await _given.Admin.TemplateAnnotationAsync(template, "k'--", "1=1;");

        (await (await _given.Admin.GetAsync($"/api/v1/templates/{template}/labels")).ArrayAsync()).Single()!.Str("label").ShouldBe("x';DROP--");
        (await (await _given.Admin.GetAsync($"/api/v1/templates/{template}/annotations")).ArrayAsync()).Single()!.Str("value").ShouldBe("1=1;");
    }
}
