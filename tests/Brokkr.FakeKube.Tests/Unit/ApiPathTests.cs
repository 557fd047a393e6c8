using Brokkr.FakeKube.Api;

namespace Brokkr.FakeKube.Tests.Unit;

public sealed class ApiPathTests
{
    [Theory]
    [InlineData("/api/v1/namespaces", "", "v1", null, "namespaces", null, null)]
    [InlineData("/api/v1/namespaces/demo", "", "v1", null, "namespaces", "demo", null)]
    [InlineData("/api/v1/namespaces/demo/status", "", "v1", null, "namespaces", "demo", "status")]
    [InlineData("/api/v1/namespaces/demo/configmaps", "", "v1", "demo", "configmaps", null, null)]
    [InlineData("/api/v1/namespaces/demo/pods/web/log", "", "v1", "demo", "pods", "web", "log")]
    [InlineData("/api/v1/configmaps", "", "v1", null, "configmaps", null, null)]
    [InlineData("/apis/apps/v1/namespaces/demo/deployments/web/status", "apps", "v1", "demo", "deployments", "web", "status")]
    [InlineData("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", "apiextensions.k8s.io", "v1", null, "customresourcedefinitions", "widgets.example.com", null)]
    public void Given_resource_url_then_its_parts_are_read(
        string url, string group, string version, string? ns, string plural, string? name, string? subresource) =>
        ApiPath.Parse(url).ShouldBe(new ApiPath(group, version, ns, plural, name, subresource));

    [Theory]
    [InlineData("/api/v1")]
    [InlineData("/apis/apps/v1")]
    [InlineData("/version")]
    [InlineData("/api/v1/namespaces/demo/pods/web/log/extra")]
    public void Given_non_resource_url_then_it_does_not_parse(string url) => ApiPath.Parse(url).ShouldBeNull();
}
