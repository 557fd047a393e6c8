using System.Net;
using Brokkr.FakeKube.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Brokkr.FakeKube.Tests.Client;

/// <summary>Failures reach KubernetesClient as HttpOperationException with the real server's status and Status body.</summary>
public sealed class KubernetesClientErrorTests : ServerTest
{
    [Fact(Timeout = 30_000)]
    public async Task Given_missing_object_then_read_fails_with_404_not_found()
    {
        using var client = Client();

        var error = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("nope", "default"));

        error.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        status.Kind.ShouldBe("Status");
        status.Status.ShouldBe("Failure");
        status.Reason.ShouldBe("NotFound");
        status.Message.ShouldBe("configmaps \"nope\" not found");
        status.Code.ShouldBe(404);
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_existing_object_then_create_fails_with_409_already_exists()
    {
        using var client = Client();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("twice"), "default");

        var error = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("twice"), "default"));

        error.Response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason.ShouldBe("AlreadyExists");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_field_owned_by_another_manager_then_apply_without_force_fails_with_409_conflict()
    {
        using var client = Client();
        await Apply(client, "kubectl", "hello", force: false);

        var error = await Should.ThrowAsync<HttpOperationException>(() => Apply(client, "brokkr-controller", "bonjour", force: false));
        var forced = await Apply(client, "brokkr-controller", "bonjour", force: true);

        error.Response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        status.Reason.ShouldBe("Conflict");
        status.Details.Causes.ShouldHaveSingleItem().Field.ShouldBe(".data.greeting");
        forced.Data["greeting"].ShouldBe("bonjour");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_invalid_name_then_create_fails_with_422_invalid()
    {
        using var client = Client();

        var error = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Bad_Name"), "default"));

        error.Response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        status.Reason.ShouldBe("Invalid");
        status.Message.ShouldStartWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"");
        status.Details.Causes.ShouldHaveSingleItem().Field.ShouldBe("metadata.name");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_injected_429_then_the_request_fails_once_with_too_many_requests()
    {
        using var client = Client();
        Server.AddFault(FaultRule.TooManyRequests("/configmaps", times: 1));

        var error = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync("default"));
        var retried = await client.CoreV1.ListNamespacedConfigMapAsync("default");

        error.Response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason.ShouldBe("TooManyRequests");
        retried.Items.ShouldBeEmpty();
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_missing_namespace_then_create_fails_with_404_for_the_namespace()
    {
        using var client = Client();

        var error = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x"), "nowhere"));

        error.Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message.ShouldBe("namespaces \"nowhere\" not found");
    }

    [Fact(Timeout = 30_000)]
    public async Task Given_apply_without_field_manager_then_it_fails_with_400()
    {
        using var http = Http();
        using var body = new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""");
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/apply-patch+yaml");

        using var response = await http.PatchAsync("/api/v1/namespaces/default/configmaps/x", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("fieldManager is required for apply requests");
    }

    private static V1ConfigMap ConfigMap(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    private static Task<V1ConfigMap> Apply(Kubernetes client, string manager, string greeting, bool force) =>
        client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = new V1ObjectMeta { Name = "shared" },
                Data = new Dictionary<string, string> { ["greeting"] = greeting },
            }, V1Patch.PatchType.ApplyPatch),
            "shared",
            "default",
            fieldManager: manager,
            force: force);
}
