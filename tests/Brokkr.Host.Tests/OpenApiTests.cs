using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Brokkr.Testing;
using Newtonsoft.Json.Linq;
using Snapshooter.Xunit;
using Xunit.Abstractions;

namespace Brokkr.Host.Tests;

/// <summary>
/// The served OpenAPI document against its snapshot and against the reference document.
/// A new or changed endpoint changes the snapshot on purpose: review the difference, then delete
/// tests/Brokkr.Host.Tests/__snapshots__/OpenApiTests.Served_document_matches_its_snapshot.snap and
/// run eng/test again to record the new one (CI sets SNAPSHOOTER_STRICT_MODE, so it never records one).
/// Operations beyond the reference are allowed only under the documented additions (<see cref="AdditionPrefixes"/>),
/// and are listed; every other served operation must be a reference operation with its id and tags.
/// </summary>
public sealed partial class OpenApiTests(BrokkrApiFactory api, ITestOutputHelper log) : IClassFixture<BrokkrApiFactory>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>Paths (relative to /api/v1) of operations the broker adds to the reference API: the jobs dashboard's JSON API, batched agent events (ADR 0031).</summary>
    private static readonly string[] AdditionPrefixes = ["/admin/jobs", "/agents/{id}/events/batch"];

    [Fact]
    public async Task Served_document_matches_its_snapshot()
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/docs/openapi.json"))!;
        foreach (var server in document["servers"]!.AsArray())
        {
            server!["url"] = AbsoluteOrigin().Replace(server["url"]!.GetValue<string>(), "http://test-host");
        }

        Snapshot.Match(JToken.Parse(document.ToJsonString()));
    }

    [Fact]
    public async Task Every_served_operation_is_a_reference_operation_with_its_operation_id_and_tags()
    {
        var served = Operations(JsonNode.Parse(await api.Anonymous().GetStringAsync("/docs/openapi.json"))!);
        var reference = Operations(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.ReferenceDirectory, "brokkr-v1.openapi.json")))!)
            .ToDictionary(o => (o.Method, o.Path));

        var problems = new List<string>();
        var additions = new List<Operation>();
        foreach (var operation in served)
        {
            if (!reference.TryGetValue((operation.Method, operation.Path), out var expected))
            {
                if (!AdditionPrefixes.Any(prefix => operation.Path == prefix || operation.Path.StartsWith(prefix + "/", StringComparison.Ordinal)))
                {
                    problems.Add($"{operation}: no such operation in the reference document");
                }
                else if (operation.OperationId is null || operation.Tags.Count == 0)
                {
                    problems.Add($"{operation}: an addition needs an operation id and a tag");
                }
                else
                {
                    additions.Add(operation);
                }

                continue;
            }

            if (operation.OperationId != expected.OperationId)
            {
                problems.Add($"{operation}: the reference's operation id is {expected.OperationId}");
            }

            if (!operation.Tags.SetEquals(expected.Tags))
            {
                problems.Add($"{operation}: tags [{string.Join(", ", operation.Tags)}], the reference has [{string.Join(", ", expected.Tags)}]");
            }
        }

        log.WriteLine($"Served {served.Count - additions.Count} of the reference's {reference.Count} operations:");
        foreach (var operation in served.Except(additions).OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal))
        {
            log.WriteLine($"  {operation}");
        }

        log.WriteLine($"Additions beyond the reference ({additions.Count}):");
        foreach (var operation in additions.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal))
        {
            log.WriteLine($"  {operation}");
        }

        served.ShouldNotBeEmpty();
        served.Select(o => o.OperationId).ShouldBeUnique();
        problems.ShouldBeEmpty(string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Served_document_has_the_reference_server_and_a_pak_requirement_on_every_operation()
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/docs/openapi.json"))!;
        var reference = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.ReferenceDirectory, "brokkr-v1.openapi.json")))!;

        document["servers"]!.ToJsonString().ShouldBe(reference["servers"]!.ToJsonString());
        document["components"]!["securitySchemes"]!["pak"]!.ToJsonString().ShouldContain("\"scheme\":\"bearer\"");
        foreach (var operation in Operations(document))
        {
            operation.Node["security"]!.ToJsonString().ShouldBe("""[{"pak":[]}]""", operation.ToString());
            (operation.Node["parameters"]?.AsArray() ?? []).Select(p => p!["name"]!.GetValue<string>()).ShouldNotContain("caller", operation.ToString());
        }

        document["components"]!["schemas"]!.AsObject().Select(s => s.Key).ShouldNotContain("Caller");
    }

    [Theory]
    [InlineData("/agents")]
    [InlineData("/agents/{id}/events")]
    [InlineData("/agent-events")]
    [InlineData("/generators")]
    [InlineData("/generators/{id}/registered-agents")]
    [InlineData("/stacks")]
    [InlineData("/stacks/{id}/deployment-objects")]
    public async Task Paged_lists_describe_limit_and_offset_as_optional_integer_query_parameters(string path)
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/docs/openapi.json"))!;
        var parameters = document["paths"]![path]!["get"]!["parameters"]!.AsArray();

        parameters.Select(p => p!["name"]!.GetValue<string>()).ShouldNotContain("paging");
        var limit = parameters.Single(p => p!["name"]!.GetValue<string>() == "limit")!;
        var offset = parameters.Single(p => p!["name"]!.GetValue<string>() == "offset")!;
        limit["in"]!.GetValue<string>().ShouldBe("query");
        offset["in"]!.GetValue<string>().ShouldBe("query");
        (limit["required"]?.GetValue<bool>() ?? false).ShouldBeFalse();
        limit["schema"]!["type"]!.GetValue<string>().ShouldBe("integer");
        limit["schema"]!["minimum"]!.GetValue<int>().ShouldBe(1);
        limit["schema"]!["maximum"]!.GetValue<int>().ShouldBe(1000);
        offset["schema"]!["type"]!.GetValue<string>().ShouldBe("integer");
        offset["schema"]!["minimum"]!.GetValue<int>().ShouldBe(0);
        offset["schema"]!["maximum"].ShouldBeNull();
    }

    [Fact]
    public async Task Docs_page_serves_the_scalar_api_reference_over_the_served_document()
    {
        var page = await api.Anonymous().GetAsync("/docs");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("<div id=\"app\"></div>");
        html.ShouldContain("docs/openapi.json");
        var script = await api.Anonymous().GetAsync(new Uri(page.RequestMessage!.RequestUri!, "scalar.js"));
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await script.Content.ReadAsStringAsync()).Length.ShouldBeGreaterThan(10_000);
    }

    private static List<Operation> Operations(JsonNode document)
        => document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(item => Methods.Contains(item.Key))
                .Select(item => new Operation(
                    item.Key.ToUpperInvariant(),
                    path.Key,
                    item.Value!["operationId"]?.GetValue<string>(),
                    (item.Value["tags"]?.AsArray() ?? []).Select(t => t!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
                    item.Value)))
            .ToList();

    [GeneratedRegex("^https?://[^/]+")]
    private static partial Regex AbsoluteOrigin();

    private sealed record Operation(string Method, string Path, string? OperationId, HashSet<string> Tags, JsonNode Node)
    {
        public override string ToString() => $"{Method} {Path} ({OperationId ?? "no operation id"})";
    }
}
