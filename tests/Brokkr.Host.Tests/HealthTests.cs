using System.Net;
using Brokkr.Testing;

namespace Brokkr.Host.Tests;

public sealed class HealthTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Healthz_answers_ok_without_credentials()
    {
        var response = await api.Anonymous().GetAsync("/healthz");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("OK");
    }

    [Fact]
    public async Task Readyz_answers_ready_while_the_database_is_up()
    {
        var response = await api.Anonymous().GetAsync("/readyz");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Ready");
    }

    [Fact]
    public async Task Metrics_count_requests_by_route_template()
    {
        await api.Admin().PostAsync("/api/v1/auth/pak", null);

        var text = await api.Anonymous().GetStringAsync("/metrics");

        text.ShouldContain("brokkr_http_requests_total{endpoint=\"/api/v1/auth/pak\",method=\"POST\",status=\"200\"}");
        text.ShouldContain("brokkr_http_request_duration_seconds_bucket{endpoint=\"/api/v1/auth/pak\",method=\"POST\",le=\"0.005\"}");
    }
}

public sealed class ListenAddressTests
{
    [Fact]
    public async Task Without_a_configured_address_the_broker_listens_on_port_3000_of_every_interface_as_the_reference_does()
    {
        await using var app = BrokkrApp.Build([]);

        app.Configuration["urls"].ShouldBe("http://0.0.0.0:3000");
    }

    [Fact]
    public async Task A_configured_address_wins()
    {
        await using var app = BrokkrApp.Build(["--urls=http://127.0.0.1:4999"]);

        app.Configuration["urls"].ShouldBe("http://127.0.0.1:4999");
    }
}
