using System.Net;
using Brokkr.Shared.Auth;
using Brokkr.Testing;

namespace Brokkr.Host.Tests;

public sealed class AuthenticationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_admin_pak_then_auth_pak_reports_admin()
    {
        var body = await (await api.Admin().PostAsync("/api/v1/auth/pak", null)).JsonAsync(HttpStatusCode.OK);

        body.ToJsonString().ShouldBe("""{"admin":true,"agent":null,"generator":null,"readonly":false}""");
    }

    [Theory]
    [InlineData("Bearer {0}")]
    [InlineData("bearer {0}")]
    [InlineData("{0}")]
    [InlineData("  Bearer {0}  ")]
    public async Task Given_any_accepted_header_form_then_admin_is_authenticated(string format)
    {
        var response = await api.WithAuthorization(string.Format(format, BrokkrApiFactory.AdminPak.Value)).PostAsync("/api/v1/auth/pak", null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_no_header_then_401_with_envelope()
    {
        await (await api.Anonymous().PostAsync("/api/v1/auth/pak", null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("x_y_z")]
    [InlineData("brokkr_XX123456_abc")]
    [InlineData("' OR 1=1 --")]
    public async Task Given_malformed_pak_then_401(string pak)
    {
        await (await api.WithAuthorization(pak).PostAsync("/api/v1/auth/pak", null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_admin_long_token_with_foreign_prefix_then_401()
    {
        var longToken = BrokkrApiFactory.AdminPak.Value.Split('_')[2];

        await (await api.WithAuthorization($"x_y_{longToken}").PostAsync("/api/v1/auth/pak", null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_unknown_well_formed_pak_then_401()
    {
        await (await api.WithPak(Pak.Generate().Value).PostAsync("/api/v1/auth/pak", null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_published_development_pak_then_it_is_refused()
    {
        await (await api.WithPak("brokkr_BR3rVsDa_GK3QN7CDUzYc6iKgMkJ98M2WSimM5t6U8").PostAsync("/api/v1/auth/pak", null))
            .ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Given_unknown_api_route_then_404_envelope_even_without_credentials()
    {
        await (await api.Anonymous().GetAsync("/api/v1/nope")).ShouldFailAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Given_wrong_method_then_auth_first_then_405()
    {
        await (await api.Anonymous().GetAsync("/api/v1/auth/pak")).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await api.Admin().GetAsync("/api/v1/auth/pak")).ShouldFailAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }
}
