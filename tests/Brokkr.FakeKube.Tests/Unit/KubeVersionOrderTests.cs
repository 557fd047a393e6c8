using Brokkr.FakeKube.Discovery;

namespace Brokkr.FakeKube.Tests.Unit;

public sealed class KubeVersionOrderTests
{
    [Fact]
    public void Given_versions_then_they_sort_by_kubernetes_priority()
    {
        string[] versions = ["v1alpha1", "foo", "v1beta1", "v1", "v11alpha2", "v2", "v1beta2", "bar", "v12alpha1"];

        versions.Order(KubeVersionOrder.Instance).ShouldBe(["v2", "v1", "v1beta2", "v1beta1", "v12alpha1", "v11alpha2", "v1alpha1", "bar", "foo"]);
    }
}
