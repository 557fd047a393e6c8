using System.Net.Http.Headers;
using System.Text;
using Brokkr.Replicas.Tests.Support;
using Npgsql;

namespace Brokkr.Replicas.Tests;

/// <summary>One broker process, as deployed (Kestrel's limits included).</summary>
public sealed class SingleBroker : ReplicaSet
{
    protected override int Count => 1;
}

/// <summary>
/// A generated corpus of malformed, oversize and hostile requests thrown at a representative set of
/// operations: every answer is a 4xx (never a 5xx, never a success) and no table changes size.
/// </summary>
public sealed class HostileInputTests(SingleBroker broker) : IClassFixture<SingleBroker>
{
    private static readonly string[] Injections =
    [
        "' OR '1'='1", "1; DROP TABLE stacks; --", "\" OR \"\"=\"", "') OR 1=1 --", "$1", "%27%20OR%201=1", "\\x00", "${jndi:ldap://x}",
    ];

    private static readonly string[] BadIds =
    [
        "not-a-uuid", "00000000-0000-0000-0000-00000000000g", "1", "-1", "%00", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "' OR '1'='1", new string('a', 5000), "{{7*7}}",
    ];

    [Fact]
    public async Task Every_hostile_request_is_answered_4xx_and_changes_nothing()
    {
        var admin = broker.A.Admin();
        var generator = await admin.GeneratorAsync();
        var agent = await admin.AgentAsync(generator.Id);
        var stack = await admin.StackAsync(generator.Id);
        await (await admin.PostJsonAsync($"/api/v1/stacks/{stack}/deployment-objects", new { yaml_content = Given.Yaml, is_deletion_marker = false })).JsonAsync(HttpStatusCode.Created);
        var before = await CountsAsync();

        var corpus = Corpus(agent.Id, stack).ToList();
        var failures = new List<string>();
        foreach (var (pak, method, url, body, contentType) in corpus)
        {
            using var client = broker.A.Client(pak == "agent" ? agent.Pak : pak == "generator" ? generator.Pak : BrokkrApiFactory.AdminPak.Value);
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                }
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (HttpRequestException) when (body!.Length > 2 * 1024 * 1024)
            {
                // Kestrel answers 413 and closes the connection while the client still writes the oversize body.
                continue;
            }

            using var answered = response;
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500)
            {
                failures.Add($"{status} {method} {Short(url)} {contentType} {Short(body is null ? "" : Encoding.UTF8.GetString(body))}");
            }
        }

        failures.ShouldBeEmpty($"{failures.Count} of {corpus.Count} requests were not answered 4xx");

        // Free-text filters take any string: injection there must match nothing, not everything.
        foreach (var injection in Injections)
        {
            var q = Uri.EscapeDataString(injection);
            foreach (var url in new[] { $"/api/v1/work-orders?status={q}", $"/api/v1/agent-events?agent_id={q}" })
            {
                var found = await (await admin.GetAsync(url)).JsonAsync(HttpStatusCode.OK);
                found.AsArray().ShouldBeEmpty(url);
            }
        }

        (await CountsAsync()).ShouldBe(before);
        broker.A.HasExited.ShouldBeFalse();
    }

    private static IEnumerable<(string Pak, HttpMethod Method, string Url, byte[]? Body, string? ContentType)> Corpus(Guid agentId, Guid stackId)
    {
        const string json = "application/json";
        var deep = Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000));
        var deepObject = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000));
        var invalidUtf8 = new byte[] { (byte)'{', (byte)'"', (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"', (byte)'}' };
        var truncated = Encoding.UTF8.GetBytes("{\"name\":\"x\"");
        var hugeYaml = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
        {
            yaml_content = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: [" + new string('x', 2 * 1024 * 1024 - 100),
            is_deletion_marker = false,
        }));
        var overLimit = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 2 * 1024 * 1024 + 10) + "\"}");

        var writes = new (string Pak, string Url)[]
        {
            ("admin", "/api/v1/generators"),
            ("admin", "/api/v1/agents"),
            ("admin", "/api/v1/stacks"),
            ("admin", $"/api/v1/stacks/{stackId}/deployment-objects"),
            ("admin", $"/api/v1/stacks/{stackId}/labels"),
            ("admin", $"/api/v1/stacks/{stackId}/annotations"),
            ("admin", $"/api/v1/agents/{agentId}/targets"),
            ("admin", $"/api/v1/agents/{agentId}/labels"),
            ("admin", "/api/v1/work-orders"),
            ("admin", "/api/v1/templates"),
            ("admin", "/api/v1/webhooks"),
            ("agent", $"/api/v1/agents/{agentId}/events"),
            ("agent", $"/api/v1/agents/{agentId}/events/batch"),
        };
        foreach (var (pak, url) in writes)
        {
            yield return (pak, HttpMethod.Post, url, deep, json);
            yield return (pak, HttpMethod.Post, url, deepObject, json);
            yield return (pak, HttpMethod.Post, url, invalidUtf8, json);
            yield return (pak, HttpMethod.Post, url, truncated, json);
            yield return (pak, HttpMethod.Post, url, overLimit, json);
            yield return (pak, HttpMethod.Post, url, Encoding.UTF8.GetBytes("<stack><name>x</name></stack>"), "application/xml");
            yield return (pak, HttpMethod.Post, url, Encoding.UTF8.GetBytes("name=x"), "application/x-www-form-urlencoded");
            yield return (pak, HttpMethod.Post, url, Encoding.UTF8.GetBytes("{\"name\":\"x\"}"), "text/plain");
            yield return (pak, HttpMethod.Post, url, Encoding.UTF8.GetBytes("[1,2,3]"), json);
            yield return (pak, HttpMethod.Post, url, Encoding.UTF8.GetBytes("\"just a string\""), json);
            yield return (pak, HttpMethod.Post, url, [], json);
            foreach (var injection in Injections)
            {
                var asIds = System.Text.Json.JsonSerializer.Serialize(new
                {
                    agent_id = injection, stack_id = injection, generator_id = injection, target_agent_ids = new[] { injection },
                });
                yield return (pak, HttpMethod.Post, url, Encoding.UTF8.GetBytes(asIds), json);
            }
        }

        yield return ("admin", HttpMethod.Post, $"/api/v1/stacks/{stackId}/deployment-objects", hugeYaml, json);

        var reads = new[] { "/api/v1/stacks/{0}", "/api/v1/agents/{0}", "/api/v1/generators/{0}", "/api/v1/work-orders/{0}", "/api/v1/templates/{0}", "/api/v1/stacks/{0}/deployment-objects", "/api/v1/agents/{0}/target-state" };
        foreach (var template in reads)
        {
            foreach (var bad in BadIds)
            {
                var id = bad.Contains('%') ? bad : Uri.EscapeDataString(bad);
                yield return ("admin", HttpMethod.Get, string.Format(template, id), null, null);
                yield return ("admin", HttpMethod.Delete, string.Format(template, id), null, null);
                yield return ("admin", HttpMethod.Put, string.Format(template, id), Encoding.UTF8.GetBytes("{\"name\":\"x\"}"), json);
            }
        }

        foreach (var injection in Injections)
        {
            var q = Uri.EscapeDataString(injection);
            yield return ("admin", HttpMethod.Get, $"/api/v1/stacks?limit={q}", null, null);
            yield return ("admin", HttpMethod.Get, $"/api/v1/agents?label={q}&limit=-1", null, null);
            yield return ("admin", HttpMethod.Delete, $"/api/v1/stacks/{stackId}/labels/{q}", null, null);
            yield return ("admin", HttpMethod.Delete, $"/api/v1/stacks/{stackId}/annotations/{q}", null, null);
        }

        foreach (var traversal in new[] { "/api/v1/..%2f..%2f..%2fetc%2fpasswd", "/api/v1/stacks/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/templates/..%5c..%5cwindows" })
        {
            yield return ("admin", HttpMethod.Get, traversal, null, null);
        }

        // An agent may neither target itself nor act for the admin.
        yield return ("agent", HttpMethod.Post, $"/api/v1/agents/{agentId}/targets", Encoding.UTF8.GetBytes($"{{\"agent_id\":\"{agentId}\",\"stack_id\":\"{stackId}\"}}"), json);
        yield return ("agent", HttpMethod.Post, "/api/v1/generators", Encoding.UTF8.GetBytes("{\"name\":\"x\"}"), json);
    }

    private async Task<Dictionary<string, long>> CountsAsync()
    {
        await using var connection = new NpgsqlConnection(broker.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'realtime%' AND table_name NOT LIKE 'qrtz%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }

        return counts;
    }

    private static string Short(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
