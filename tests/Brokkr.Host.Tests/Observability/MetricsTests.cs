using System.Globalization;
using System.Net;
using Brokkr.Host.Observability;
using Brokkr.Shared.Auth;
using Brokkr.Testing;
using Brokkr.Testing.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Host.Tests.Observability;

/// <summary>
/// The fleet gauges (behaviour §15) after one refresh, and the database metrics. The Prometheus registry is
/// the process's, shared by every broker of the test run, hence the collection of its own.
/// </summary>
[Collection(nameof(ProcessWide))]
public sealed class MetricsTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task The_fleet_gauges_count_live_agents_stacks_and_revisions_and_age_each_heartbeat()
    {
        var scenario = new Scenario(api);
        var admin = api.Admin();
        var generator = await scenario.GeneratorAsync();
        var kept = await scenario.StackAsync(generator.Id);
        var deleted = await scenario.StackAsync(generator.Id);
        await scenario.DeploymentObjectAsync(kept, Wire.Yaml);
        await scenario.DeploymentObjectAsync(kept, Wire.Yaml.Replace("demo", "demo-2", StringComparison.Ordinal));
        await scenario.DeploymentObjectAsync(deleted, Wire.Yaml);
        (await admin.DeleteAsync($"/api/v1/stacks/{deleted}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var beating = await scenario.AgentAsync(Scenario.Unique("beating"));
        var silent = await scenario.AgentAsync();
        var gone = await scenario.AgentAsync();
        foreach (var agent in new[] { beating.Id, silent.Id, gone.Id })
        {
            (await admin.PutJsonAsync($"/api/v1/agents/{agent}", new { status = "ACTIVE" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await api.WithPak(beating.Pak).PostAsync($"/api/v1/agents/{beating.Id}/heartbeat", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.WithPak(gone.Pak).PostAsync($"/api/v1/agents/{gone.Id}/heartbeat", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.DeleteAsync($"/api/v1/agents/{gone.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await RefreshAsync();
        var metrics = await ScrapeAsync();

        metrics.Single("brokkr_active_agents").ShouldBe(2);
        metrics.Single("brokkr_stacks_total").ShouldBe(1);
        metrics.Single("brokkr_deployment_objects_total").ShouldBe(2);
        metrics.Single("brokkr_default_admin_pak_hash_in_use").ShouldBe(0);
        var ages = metrics.Series("brokkr_agent_heartbeat_age_seconds");
        ages.Select(a => a.Labels["agent_id"]).ShouldBe([beating.Id.ToString()]);
        ages[0].Labels["agent_name"].ShouldStartWith("beating-");
        ages[0].Value.ShouldBeInRange(0, 300);

        var renamed = Scenario.Unique("renamed");
        (await admin.PutJsonAsync($"/api/v1/agents/{beating.Id}", new { name = renamed })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await RefreshAsync();
        (await ScrapeAsync()).Series("brokkr_agent_heartbeat_age_seconds").Select(a => a.Labels["agent_name"]).ShouldBe([renamed]);

        (await admin.DeleteAsync($"/api/v1/agents/{beating.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await RefreshAsync();
        var after = await ScrapeAsync();
        after.Series("brokkr_agent_heartbeat_age_seconds").ShouldBeEmpty();
        after.Single("brokkr_active_agents").ShouldBe(1);
    }

    [Fact]
    public async Task Database_statements_are_counted_and_timed_by_sql_verb()
    {
        var before = await ScrapeAsync();
        var scenario = new Scenario(api);
        var agent = await scenario.AgentAsync();
        await scenario.AgentLabelAsync(agent.Id, "zone-a");
        (await api.WithPak(agent.Pak).PostAsync($"/api/v1/agents/{agent.Id}/heartbeat", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}/labels/zone-a")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.Admin().GetAsync("/api/v1/agents")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Admin().DeleteAsync($"/api/v1/agents/{agent.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var after = await ScrapeAsync();

        foreach (var operation in new[] { "select", "insert", "update", "delete" })
        {
            var counted = after.Value("brokkr_database_queries_total", operation) - before.Value("brokkr_database_queries_total", operation);
            counted.ShouldBeGreaterThanOrEqualTo(1, operation);
            (after.Value("brokkr_database_query_duration_seconds_count", operation) - before.Value("brokkr_database_query_duration_seconds_count", operation))
                .ShouldBe(counted, operation);
            after.Value("brokkr_database_query_duration_seconds_sum", operation).ShouldBeGreaterThan(before.Value("brokkr_database_query_duration_seconds_sum", operation), operation);
        }

        after.Series("brokkr_database_queries_total").Select(s => s.Labels["operation"])
            .ShouldAllBe(o => o == "select" || o == "insert" || o == "update" || o == "delete" || o == "other");
    }

    [Fact]
    public async Task Metrics_are_public_and_not_counted_themselves()
    {
        var response = await api.Anonymous().GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("endpoint=\"/metrics\"");
    }

    private Task RefreshAsync() => api.Services.GetRequiredService<FleetMetrics>().RefreshAsync(CancellationToken.None);

    private async Task<Scrape> ScrapeAsync() => new(await api.Anonymous().GetStringAsync("/metrics"));

    internal sealed class Scrape(string text)
    {
        private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = Parse(text);

        public double Single(string name) => _samples.Single(s => s.Name == name).Value;

        public List<(string Name, Dictionary<string, string> Labels, double Value)> Series(string name) => _samples.Where(s => s.Name == name).ToList();

        public double Value(string name, string operation)
            => _samples.Where(s => s.Name == name && s.Labels.GetValueOrDefault("operation") == operation).Select(s => s.Value).DefaultIfEmpty(0).Single();

        private static List<(string, Dictionary<string, string>, double)> Parse(string text)
        {
            var samples = new List<(string, Dictionary<string, string>, double)>();
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (line.StartsWith('#'))
                {
                    continue;
                }

                var brace = line.IndexOf('{');
                var space = line.LastIndexOf(' ');
                var labels = new Dictionary<string, string>();
                string name;
                if (brace >= 0 && brace < space)
                {
                    name = line[..brace];
                    var body = line[(brace + 1)..line.LastIndexOf('}')];
                    foreach (var pair in body.Split("\",", StringSplitOptions.RemoveEmptyEntries))
                    {
                        var equals = pair.IndexOf('=');
                        labels[pair[..equals]] = pair[(equals + 1)..].Trim('"');
                    }
                }
                else
                {
                    name = line[..space];
                }

                samples.Add((name, labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
            }

            return samples;
        }
    }
}

/// <summary>A broker whose admin PAK is the published development PAK (development mode): the gauge says so.</summary>
[Collection(nameof(ProcessWide))]
public sealed class DevelopmentAdminHashMetricTests(DevelopmentAdminHashMetricTests.DevelopmentHashFactory api) : IClassFixture<DevelopmentAdminHashMetricTests.DevelopmentHashFactory>
{
    [Fact]
    public async Task The_published_development_hash_in_use_is_flagged()
    {
        await api.Services.GetRequiredService<FleetMetrics>().RefreshAsync(CancellationToken.None);

        var metrics = new MetricsTests.Scrape(await api.Anonymous().GetStringAsync("/metrics"));

        metrics.Single("brokkr_default_admin_pak_hash_in_use").ShouldBe(1);
    }

    public sealed class DevelopmentHashFactory : BrokkrApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Broker:pak_hash"] = Pak.PublishedDevelopmentHash,
            ["Broker:development_mode"] = "true",
        };
    }
}
