using System.Net;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Tests.Support;
using k8s;
using k8s.Models;

namespace Brokkr.FakeKube.Tests.Server;

public sealed class RequestLogTests : ServerTest
{
    [Fact(Timeout = 30_000)]
    public async Task Given_steady_state_poll_then_the_log_shows_reads_and_no_writes()
    {
        using var client = Client();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, "default");
        var mark = Server.RequestMark;

        await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default");

        var since = Server.RequestsSince(mark);
        since.Count.ShouldBe(2);
        since.ShouldAllBe(r => r.Method == "GET" && !r.IsWrite && r.StatusCode == 200);
        Server.Requests.Count(r => r.IsWrite).ShouldBe(1);
        Server.Requests.Single(r => r.IsWrite).ContentType!.ShouldStartWith("application/json");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_requests_then_the_admin_endpoint_lists_them_and_can_clear_them()
    {
        using var http = Http();
        await http.GetAsync("/api/v1/namespaces?labelSelector=a%3Db");

        var log = JsonNode.Parse(await http.GetStringAsync("/_fake/requests"))!;
        var item = log["items"]!.AsArray().ShouldHaveSingleItem()!;
        item["method"]!.GetValue<string>().ShouldBe("GET");
        item["path"]!.GetValue<string>().ShouldBe("/api/v1/namespaces");
        item["query"]!.GetValue<string>().ShouldBe("?labelSelector=a%3Db");
        item["statusCode"]!.GetValue<int>().ShouldBe(200);

        (await http.DeleteAsync("/_fake/requests")).StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.Parse(await http.GetStringAsync("/_fake/requests"))!["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_required_token_then_requests_without_it_are_unauthorized()
    {
        await using var strict = await FakeKubeServer.StartAsync(options: new FakeKubeOptions { RequireToken = true, Token = "s3cret" });
        using var anonymous = new HttpClient { BaseAddress = strict.Url };
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = strict.Url.ToString(), AccessToken = "s3cret" });

        var denied = await anonymous.GetAsync("/api/v1/namespaces");
        var allowed = await client.CoreV1.ListNamespaceAsync();

        denied.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        allowed.Items.Select(n => n.Metadata.Name).ShouldBe(["default", "kube-node-lease", "kube-public", "kube-system"]);
        strict.KubeconfigYaml().ShouldContain("token: s3cret");
    }
}
