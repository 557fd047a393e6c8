using Brokkr.FakeKube.Tests.Support;

namespace Brokkr.FakeKube.Tests.Kubectl;

/// <summary>
/// kubectl asks for aggregated discovery first; against a server that only has the legacy documents
/// it must fall back to them. Both paths are tested because the fake can serve either.
/// </summary>
public sealed class KubectlLegacyDiscoveryTests : ServerTest, IDisposable
{
    private Support.Kubectl? _kubectl;

    protected override FakeKubeOptions Options => new() { AggregatedDiscovery = false };

    private Support.Kubectl Cli => _kubectl ??= new Support.Kubectl(Server);

    public void Dispose() => _kubectl?.Dispose();

    [KubectlFact]
    public async Task Given_only_legacy_discovery_then_kubectl_falls_back_and_applies_a_custom_resource()
    {
        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("crd.yaml", Manifests.WidgetCrd)}")).ShouldSucceed();

        (await Cli.RunAsync($"apply --server-side -f {Cli.WriteFile("widget.yaml", Manifests.Widget)}")).ShouldSucceed()
            .Output.ShouldContain("widget.example.com/gear serverside-applied");

        (await Cli.RunAsync("api-resources --no-headers")).ShouldSucceed().Output.ShouldContain("widgets");
        Server.Requests.ShouldContain(r => r.Path == "/apis/apps/v1");
    }
}
