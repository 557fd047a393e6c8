using System.Net;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Kubernetes;
using Brokkr.Agent.Loop;
using Brokkr.Agent.Tests.Support;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brokkr.Agent.Tests.Loop;

public sealed class AgentStartupTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private AgentStartup Startup(FakeBroker broker, AgentOptions? options = null, Func<KubeApi>? kube = null)
    {
        options ??= new AgentOptions { Pak = "brokkr_BRtest_x", AgentName = broker.Agent.Name, ClusterName = broker.Agent.ClusterName, MaxRetries = 1 };
        return new AgentStartup(options, broker, kube ?? (() => new KubeApi(KubernetesClientConfiguration.BuildConfigFromConfigFile(_cluster.KubeconfigPath))),
            _ => null, TimeProvider.System, NullLogger<AgentStartup>.Instance);
    }

    [Fact]
    public async Task Finds_itself_registers_with_its_generators_and_connects_to_kubernetes()
    {
        var broker = new FakeBroker();
        var generator = Guid.NewGuid();
        var options = new AgentOptions
        {
            Pak = "brokkr_BRtest_x", AgentName = broker.Agent.Name, ClusterName = broker.Agent.ClusterName,
            GeneratorIds = $"{generator},garbage",
        };

        var (agent, kube) = await Startup(broker, options).RunAsync(CancellationToken.None);
        using (kube)
        {
            agent.Id.ShouldBe(broker.Agent.Id);
            broker.Registrations.ShouldBe([generator]);
            (await kube.VersionAsync(CancellationToken.None)).ShouldNotBeNullOrEmpty();
        }
    }

    [Fact]
    public async Task A_refused_pak_is_fatal()
    {
        var broker = new FakeBroker { PakAnswer = HttpStatusCode.Unauthorized };
        var e = await Should.ThrowAsync<FatalStartupException>(() => Startup(broker).RunAsync(CancellationToken.None));
        e.Message.ShouldBe("Invalid agent PAK");
    }

    [Fact]
    public async Task An_unknown_agent_is_fatal()
    {
        var broker = new FakeBroker();
        var options = new AgentOptions { Pak = "brokkr_BRtest_x", AgentName = "someone-else", ClusterName = "cluster-a", MaxRetries = 1 };
        var e = await Should.ThrowAsync<FatalStartupException>(() => Startup(broker, options).RunAsync(CancellationToken.None));
        e.Message.ShouldStartWith("Agent not found");
    }

    [Fact]
    public async Task A_broker_that_never_becomes_ready_is_fatal_after_max_retries()
    {
        var broker = new FakeBroker { Ready = false };
        var options = new AgentOptions { Pak = "brokkr_BRtest_x", AgentName = broker.Agent.Name, ClusterName = broker.Agent.ClusterName, MaxRetries = 2 };
        var e = await Should.ThrowAsync<FatalStartupException>(() => Startup(broker, options).RunAsync(CancellationToken.None));
        e.Message.ShouldContain("not ready after 2 attempts");
    }

    [Fact]
    public async Task An_unreachable_kubernetes_api_is_fatal()
    {
        var broker = new FakeBroker();
        var unreachable = new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" };
        var e = await Should.ThrowAsync<FatalStartupException>(() => Startup(broker, kube: () => new KubeApi(unreachable)).RunAsync(CancellationToken.None));
        e.Message.ShouldContain("Kubernetes API");
    }

    [Fact]
    public async Task Missing_pak_is_fatal_before_any_call()
    {
        var broker = new FakeBroker { Down = true };
        var e = await Should.ThrowAsync<FatalStartupException>(() => Startup(broker, new AgentOptions()).RunAsync(CancellationToken.None));
        e.Message.ShouldContain("BROKKR__AGENT__PAK");
    }
}
