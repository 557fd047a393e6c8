using Brokkr.Agent.Configuration;
using Microsoft.Extensions.Configuration;

namespace Brokkr.Agent.Tests.Configuration;

public sealed class AgentConfigurationTests
{
    private static AgentOptions Load(IDictionary<string, string?> environment)
    {
        var previous = environment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (key, value) in environment)
            {
                Environment.SetEnvironmentVariable(key, value);
            }

            var builder = new ConfigurationBuilder();
            AgentConfiguration.AddBrokkrSources(builder, name => environment.TryGetValue(name, out var v) ? v : null);
            return AgentConfiguration.Bind(builder.Build());
        }
        finally
        {
            foreach (var (key, value) in previous)
            {
                Environment.SetEnvironmentVariable(key, value);
            }
        }
    }

    [Fact]
    public void Defaults_are_the_references()
    {
        var options = AgentConfiguration.Bind(new ConfigurationBuilder().Build());

        options.BrokerUrl.ShouldBe("http://localhost:3000");
        options.PollingInterval.ShouldBe(10);
        options.MaxRetries.ShouldBe(60);
        options.HealthPort.ShouldBe(8080);
        options.AgentName.ShouldBe("DEFAULT");
        options.ClusterName.ShouldBe("DEFAULT");
        options.DeploymentHealthEnabled.ShouldBeTrue();
        options.DeploymentHealthInterval.ShouldBe(60);
        options.WsForceRest.ShouldBeFalse();
        options.WatchNamespace.ShouldBeNull();
        options.Pak.ShouldBeNull();
        options.Validate().ShouldContain(e => e.Contains("PAK"));
    }

    [Fact]
    public void Environment_variables_use_the_reference_names()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var options = Load(new Dictionary<string, string?>
        {
            ["BROKKR__AGENT__BROKER_URL"] = "http://broker:3000",
            ["BROKKR__AGENT__PAK"] = "brokkr_BRabc_" + suffix,
            ["BROKKR__AGENT__AGENT_NAME"] = "edge-1",
            ["BROKKR__AGENT__CLUSTER_NAME"] = "eu-west",
            ["BROKKR__AGENT__POLLING_INTERVAL"] = "3",
            ["BROKKR__AGENT__KUBECONFIG_PATH"] = "/tmp/kc",
            ["BROKKR__AGENT__MAX_RETRIES"] = "5",
            ["BROKKR__AGENT__HEALTH_PORT"] = "9090",
            ["BROKKR__AGENT__DEPLOYMENT_HEALTH_ENABLED"] = "false",
            ["BROKKR__AGENT__DEPLOYMENT_HEALTH_INTERVAL"] = "30",
            ["BROKKR__AGENT__WS_FORCE_REST"] = "true",
            ["BROKKR__AGENT__WS_URL"] = "ws://broker:3000/internal/ws/agent",
            ["BROKKR__AGENT__WATCH_NAMESPACE"] = "apps",
            ["BROKKR__AGENT__GENERATOR_IDS"] = "8d3e5f3c-9c1b-4f7e-8a43-2b1f0f5c7a10, not-a-uuid",
        });

        options.BrokerUrl.ShouldBe("http://broker:3000");
        options.Pak.ShouldStartWith("brokkr_BRabc_");
        options.AgentName.ShouldBe("edge-1");
        options.ClusterName.ShouldBe("eu-west");
        options.PollingInterval.ShouldBe(3);
        options.KubeconfigPath.ShouldBe("/tmp/kc");
        options.MaxRetries.ShouldBe(5);
        options.HealthPort.ShouldBe(9090);
        options.DeploymentHealthEnabled.ShouldBeFalse();
        options.DeploymentHealthInterval.ShouldBe(30);
        options.WsForceRest.ShouldBeTrue();
        options.ResolvedWsUrl().ShouldBe(new Uri("ws://broker:3000/internal/ws/agent"));
        options.WatchNamespace.ShouldBe("apps");
        options.DefaultNamespace.ShouldBe("apps");
        var (valid, malformed, legacy) = options.ParseGeneratorIds(null);
        valid.ShouldBe([Guid.Parse("8d3e5f3c-9c1b-4f7e-8a43-2b1f0f5c7a10")]);
        malformed.ShouldBe(["not-a-uuid"]);
        legacy.ShouldBeFalse();
        options.Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Config_file_is_read_and_environment_wins()
    {
        var file = Path.Combine(Path.GetTempPath(), $"agent-{Guid.NewGuid():N}.toml");
        File.WriteAllText(file, """
            [agent]
            broker_url = "http://from-file:3000"
            agent_name = "file-agent"
            polling_interval = 7
            generator_ids = ["8d3e5f3c-9c1b-4f7e-8a43-2b1f0f5c7a10", "0b7c8a4e-1111-4f7e-8a43-2b1f0f5c7a10"]
            """);
        try
        {
            var options = Load(new Dictionary<string, string?>
            {
                [AgentConfiguration.ConfigFileVariable] = file,
                ["BROKKR__AGENT__AGENT_NAME"] = "env-agent",
            });

            options.BrokerUrl.ShouldBe("http://from-file:3000");
            options.PollingInterval.ShouldBe(7);
            options.AgentName.ShouldBe("env-agent");
            options.ParseGeneratorIds(null).Valid.Count.ShouldBe(2);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Legacy_generator_ids_variable_is_used_only_when_the_setting_is_absent()
    {
        var id = Guid.NewGuid();
        var options = new AgentOptions();
        var (valid, _, legacy) = options.ParseGeneratorIds(id.ToString());
        valid.ShouldBe([id]);
        legacy.ShouldBeTrue();

        options.GeneratorIds = Guid.NewGuid().ToString();
        options.ParseGeneratorIds(id.ToString()).Valid.ShouldNotContain(id);
    }

    [Theory]
    [InlineData("http://broker:3000", "ws://broker:3000/internal/ws/agent")]
    [InlineData("https://broker.example.com/", "wss://broker.example.com/internal/ws/agent")]
    public void WebSocket_url_is_derived_from_the_broker_url(string broker, string expected)
        => new AgentOptions { BrokerUrl = broker }.ResolvedWsUrl().ShouldBe(new Uri(expected));
}
