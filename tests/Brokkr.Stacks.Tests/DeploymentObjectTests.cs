using System.Security.Cryptography;
using System.Text;

namespace Brokkr.Stacks.Tests;

/// <summary>Creating, listing and reading deployment objects, as JSON or raw YAML.</summary>
public sealed class DeploymentObjectTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private async Task<Guid> StackAsync() => await _given.StackAsync((await _given.GeneratorAsync()).Id);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Json_body_creates_a_revision_with_exact_keys_and_sha256_checksum()
    {
        var stack = await StackAsync();

        var created = await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/deployment-objects", new { yaml_content = Wire.Yaml })).JsonAsync(HttpStatusCode.Created);

        created.ShouldHaveExactKeys(Wire.DeploymentObjectKeys);
        created.Str("yaml_content").ShouldBe(Wire.Yaml);
        created.Str("yaml_checksum").ShouldBe(Sha256(Wire.Yaml));
        created.Id("stack_id").ShouldBe(stack);
        created["deleted_at"].ShouldBeNull();
        created["is_deletion_marker"]!.GetValue<bool>().ShouldBeFalse();
        created.Sequence().ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("application/yaml")]
    [InlineData("text/yaml")]
    [InlineData("application/x-yaml")]
    [InlineData("application/yaml; charset=utf-8")]
    [InlineData("Application/YAML")]
    public async Task Raw_yaml_body_is_stored_as_sent(string contentType)
    {
        var stack = await StackAsync();
        const string yaml = "# leading comment\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: \"x\"}\r\n---\r\na: [1, 2]\r\n";

        var created = await (await api.Admin().PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects", yaml, contentType)).JsonAsync(HttpStatusCode.Created);

        created.Str("yaml_content").ShouldBe(yaml);
        created.Str("yaml_checksum").ShouldBe(Sha256(yaml));
        created["is_deletion_marker"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Deletion_marker_by_query_or_json_may_be_empty()
    {
        var stack = await StackAsync();

        var byQuery = await (await api.Admin().PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects?deletion_marker=true", "")).JsonAsync(HttpStatusCode.Created);
        var byJson = await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/deployment-objects", new { yaml_content = "", is_deletion_marker = true })).JsonAsync(HttpStatusCode.Created);
        var withYaml = await (await api.Admin().PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects?deletion_marker=true", Wire.Yaml)).JsonAsync(HttpStatusCode.Created);

        byQuery["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        byQuery.Str("yaml_content").ShouldBe("");
        byQuery.Str("yaml_checksum").ShouldBe(Sha256(""));
        byJson["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        withYaml["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        withYaml.Str("yaml_content").ShouldBe(Wire.Yaml);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("# only a comment\n")]
    [InlineData("null")]
    [InlineData("~\n---\n~\n")]
    [InlineData("key: [unclosed")]
    [InlineData("a: b\n  c: d\n :")]
    [InlineData("a: 'unterminated")]
    [InlineData("a: *nowhere")]
    public async Task Bad_yaml_is_invalid_deployment_object_in_either_body(string yaml)
    {
        var stack = await StackAsync();

        await (await api.Admin().PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects", yaml)).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_deployment_object");
        await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/deployment-objects", new { yaml_content = yaml })).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_deployment_object");
    }

    [Theory]
    [InlineData("{", "application/json")]
    [InlineData("{}", "application/json")]
    [InlineData("{\"yaml_content\": null}", "application/json")]
    [InlineData("{\"yaml_content\": 5}", "application/json")]
    [InlineData("{\"yaml_content\": \"a: b\", \"is_deletion_marker\": \"yes\"}", "application/json")]
    [InlineData("[]", "application/json")]
    [InlineData("null", "application/json")]
    [InlineData("{\"yaml_content\": \"a: \\u0000\"}", "application/json")]
    [InlineData("{\"yaml_content\": \"a: \\ud800\"}", "application/json")]
    [InlineData("a: b", null)]
    [InlineData("a: b", "text/plain")]
    [InlineData("a: \u0000", "application/yaml")]
    public async Task Every_body_problem_is_400_invalid_deployment_object_never_415_or_422(string body, string? contentType)
    {
        var stack = await StackAsync();

        await (await api.Admin().SendRawAsync(HttpMethod.Post, $"/api/v1/stacks/{stack}/deployment-objects", body, contentType))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_deployment_object");
    }

    [Fact]
    public async Task Invalid_utf8_yaml_is_400()
    {
        var stack = await StackAsync();

        await (await api.Admin().SendBytesAsync(HttpMethod.Post, $"/api/v1/stacks/{stack}/deployment-objects", [0x61, 0x3A, 0x20, 0xC3, 0x28], "application/yaml"))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_deployment_object");
        await (await api.Admin().SendBytesAsync(HttpMethod.Post, $"/api/v1/stacks/{stack}/deployment-objects", [.. "{\"yaml_content\":\"a: "u8, 0xFF, .. "\"}"u8], "application/json"))
            .ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_deployment_object");
    }

    [Fact]
    public async Task Deeply_nested_yaml_is_refused_without_a_5xx()
    {
        var stack = await StackAsync();
        var flow = new string('[', 100_000) + new string(']', 100_000);
        var block = string.Concat(Enumerable.Range(0, 400).Select(i => new string(' ', i) + "k:\n"));

        await (await api.Admin().PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects", flow)).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_deployment_object");
        await (await api.Admin().PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects", block)).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_deployment_object");
    }

    [Fact]
    public async Task Alias_bomb_is_accepted_as_text_without_being_expanded()
    {
        var stack = await StackAsync();
        var bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 30; i++)
        {
            var previous = $"*a{i - 1}";
            bomb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat(previous, 9))}]\n");
        }

        var response = await api.Admin().PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects", bomb.ToString());

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task One_mebibyte_yaml_is_stored_and_served_byte_for_byte()
    {
        var stack = await StackAsync();
        var line = "  key-with-unicode-é😀: \"value\"\r\n";
        var yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\ndata:\n");
        while (Encoding.UTF8.GetByteCount(yaml.ToString()) < 1024 * 1024)
        {
            yaml.Append(line);
        }

        var bytes = Encoding.UTF8.GetBytes(yaml.ToString());
        var created = await (await api.Admin().SendBytesAsync(HttpMethod.Post, $"/api/v1/stacks/{stack}/deployment-objects", bytes, "application/yaml")).JsonAsync(HttpStatusCode.Created);
        var viaJson = await (await api.Admin().PostJsonAsync($"/api/v1/stacks/{stack}/deployment-objects", new { yaml_content = yaml.ToString() })).JsonAsync(HttpStatusCode.Created);

        created.Str("yaml_checksum").ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        viaJson.Str("yaml_checksum").ShouldBe(created.Str("yaml_checksum"));
        var raw = await api.Admin().GetAsync($"/api/v1/deployment-objects/{created.Id()}", ("Accept", "application/yaml"));
        raw.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await raw.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
    }

    [Fact]
    public async Task Body_over_2_mib_is_413_even_for_an_unknown_stack()
    {
        var huge = new byte[(2 * 1024 * 1024) + 1];
        Array.Fill(huge, (byte)'a');

        await (await api.Admin().SendBytesAsync(HttpMethod.Post, $"/api/v1/stacks/{Guid.NewGuid()}/deployment-objects", huge, "application/yaml"))
            .ShouldFailAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Unknown_stack_is_404_before_the_body_is_looked_at_and_ownership_403()
    {
        var stack = await StackAsync();
        var other = await _given.GeneratorAsync();

        await (await api.Admin().PostYamlAsync($"/api/v1/stacks/{Guid.NewGuid()}/deployment-objects", "not: [valid")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.WithPak(other.Pak).PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects", "not: [valid")).ShouldFailAsync(HttpStatusCode.Forbidden, "stack_not_owned");
    }

    [Fact]
    public async Task Non_boolean_deletion_marker_query_is_400()
    {
        var stack = await StackAsync();

        var response = await api.Admin().PostYamlAsync($"/api/v1/stacks/{stack}/deployment-objects?deletion_marker=maybe", Wire.Yaml);

        var error = await response.ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
        error["details"]!.Str("parameter").ShouldBe("deletion_marker");
    }

    [Fact]
    public async Task List_is_live_revisions_newest_first_with_paging()
    {
        var stack = await StackAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await _given.DeploymentObjectAsync(stack, $"revision: {i}\n")).Id());
        }

        ids.Reverse();
        var all = await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/deployment-objects")).ArrayAsync();
        all.Ids().ShouldBe(ids);
        all[0]!.ShouldHaveExactKeys(Wire.DeploymentObjectKeys);
        all.Select(o => o!.Sequence()).ShouldBeInOrder(SortDirection.Descending);
        (await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/deployment-objects?limit=2&offset=1")).ArrayAsync()).Ids().ShouldBe(ids[1..3]);
        await (await api.Admin().GetAsync($"/api/v1/stacks/{stack}/deployment-objects?limit=0")).ShouldFailAsync(HttpStatusCode.BadRequest, "invalid_query_parameter");
    }

    [Fact]
    public async Task Get_answers_json_by_default_with_exact_keys()
    {
        var stack = await StackAsync();
        var created = await _given.DeploymentObjectAsync(stack, Wire.Yaml);

        var response = await api.Admin().GetAsync($"/api/v1/deployment-objects/{created.Id()}", ("Accept", "application/json"));
        var body = await response.JsonAsync(HttpStatusCode.OK);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        body.ShouldHaveExactKeys(Wire.DeploymentObjectKeys);
        body.ToJsonString().ShouldBe(created.ToJsonString());
        (await (await api.Admin().GetAsync($"/api/v1/deployment-objects/{created.Id()}")).JsonAsync(HttpStatusCode.OK)).ToJsonString().ShouldBe(created.ToJsonString());
    }

    [Theory]
    [InlineData("application/yaml")]
    [InlineData("text/yaml")]
    [InlineData("application/x-yaml")]
    [InlineData("application/json, application/yaml;q=0.1")]
    [InlineData("text/html,application/x-yaml; charset=utf-8")]
    [InlineData("APPLICATION/YAML")]
    public async Task Get_answers_raw_yaml_when_any_accept_part_is_yaml(string accept)
    {
        var stack = await StackAsync();
        const string yaml = "a: 1\r\nb: \"ü\"\n";
        var created = await _given.DeploymentObjectAsync(stack, yaml);

        var response = await api.Admin().GetAsync($"/api/v1/deployment-objects/{created.Id()}", ("Accept", accept));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/yaml");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(Encoding.UTF8.GetBytes(yaml));
    }

    [Theory]
    [InlineData("application/yamlx")]
    [InlineData("application/*")]
    [InlineData("*/*")]
    [InlineData("yaml")]
    public async Task Get_answers_json_for_accept_values_that_are_not_exactly_yaml(string accept)
    {
        var stack = await StackAsync();
        var created = await _given.DeploymentObjectAsync(stack, Wire.Yaml);

        var response = await api.Admin().GetAsync($"/api/v1/deployment-objects/{created.Id()}", ("Accept", accept));

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await response.JsonAsync(HttpStatusCode.OK)).Id().ShouldBe(created.Id());
    }

    [Fact]
    public async Task Get_of_a_marker_as_yaml_is_an_empty_body()
    {
        var stack = await StackAsync();
        var marker = await _given.DeploymentObjectAsync(stack, "", deletionMarker: true);

        var response = await api.Admin().GetAsync($"/api/v1/deployment-objects/{marker.Id()}", ("Accept", "application/yaml"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/yaml");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Get_errors_are_json_even_when_yaml_is_accepted()
    {
        var stack = await StackAsync();
        var created = await _given.DeploymentObjectAsync(stack, Wire.Yaml);
        var other = await _given.GeneratorAsync();

        await (await api.Admin().GetAsync($"/api/v1/deployment-objects/{Guid.NewGuid()}", ("Accept", "application/yaml")))
            .ShouldFailAsync(HttpStatusCode.NotFound, "deployment_object_not_found");
        await (await api.WithPak(other.Pak).GetAsync($"/api/v1/deployment-objects/{created.Id()}", ("Accept", "application/yaml")))
            .ShouldFailAsync(HttpStatusCode.Forbidden, "generator_not_associated");
    }

    [Fact]
    public async Task Soft_deleted_revisions_are_not_found_and_the_owner_of_a_deleted_stack_gets_stack_not_found_for_its_marker()
    {
        var generator = await _given.GeneratorAsync();
        var stack = await _given.StackAsync(generator.Id);
        var revision = await _given.DeploymentObjectAsync(stack, Wire.Yaml);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var marker = (await api.QueryAsync<Guid>("SELECT id FROM deployment_objects WHERE stack_id = @s AND is_deletion_marker", ("s", stack))).Single();

        await (await api.Admin().GetAsync($"/api/v1/deployment-objects/{revision.Id()}")).ShouldFailAsync(HttpStatusCode.NotFound, "deployment_object_not_found");
        (await (await api.Admin().GetAsync($"/api/v1/deployment-objects/{marker}")).JsonAsync(HttpStatusCode.OK))["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        await (await api.WithPak(generator.Pak).GetAsync($"/api/v1/deployment-objects/{marker}")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
    }
}
