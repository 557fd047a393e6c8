using System.Net;
using Brokkr.Host.Api;
using Brokkr.Shared.Configuration;
using Brokkr.Testing;
using Microsoft.AspNetCore.Http;

namespace Brokkr.Host.Tests;

/// <summary>CORS with the default settings: one allowed origin, <c>http://localhost:3001</c>.</summary>
public sealed class CorsTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private const string Allowed = "http://localhost:3001";
    private const string Other = "https://evil.example";

    [Fact]
    public async Task Given_a_preflight_from_the_allowed_origin_then_204_with_the_allow_headers_and_no_pak_needed()
    {
        var response = await api.Anonymous().SendAsync(Preflight("/api/v1/agents", Allowed, "POST", "authorization,content-type"));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Allowed]);
        string.Join(',', response.Headers.GetValues("Access-Control-Allow-Methods")).Split(',').ShouldBe(["GET", "POST", "PUT", "DELETE", "OPTIONS"], ignoreOrder: true);
        string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant().Split(',').ShouldBe(["authorization", "content-type"], ignoreOrder: true);
        response.Headers.GetValues("Access-Control-Max-Age").ShouldBe(["3600"]);
        response.Headers.Contains("WWW-Authenticate").ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_preflight_from_another_origin_then_no_allow_headers()
    {
        var response = await api.Anonymous().SendAsync(Preflight("/api/v1/agents", Other, "GET", "authorization"));

        ((int)response.StatusCode).ShouldBeLessThan(300);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        response.Headers.Contains("Access-Control-Allow-Methods").ShouldBeFalse();
        response.Headers.Contains("Access-Control-Max-Age").ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_get_from_the_allowed_origin_then_the_response_allows_that_origin()
    {
        var response = await api.Admin().SendAsync(Get("/api/v1/agents", Allowed));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Allowed]);
    }

    [Fact]
    public async Task Given_an_error_for_the_allowed_origin_then_the_browser_may_read_the_envelope()
    {
        var response = await api.Anonymous().SendAsync(Get("/api/v1/agents", Allowed));

        await response.ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Allowed]);
    }

    [Fact]
    public async Task Given_a_get_from_another_origin_then_the_response_does_not_allow_it()
    {
        var response = await api.Admin().SendAsync(Get("/api/v1/agents", Other));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Given_any_origin_then_readyz_is_permissive()
    {
        var response = await api.Anonymous().SendAsync(Get("/readyz", Other));
        var preflight = await api.Anonymous().SendAsync(Preflight("/readyz", Other, "GET", "x-anything"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        preflight.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        preflight.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        preflight.Headers.GetValues("Access-Control-Allow-Headers").ShouldBe(["x-anything"]);
    }

    [Fact]
    public async Task Given_no_origin_then_no_cors_headers()
    {
        var response = await api.Admin().GetAsync("/api/v1/agents");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    internal static HttpRequestMessage Get(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", origin);
        return request;
    }

    internal static HttpRequestMessage Preflight(string path, string origin, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }
}

/// <summary>CORS configured as <c>BROKKR__CORS__*</c> would: any origin, a short max age, PATCH and a custom header.</summary>
public sealed class ConfiguredCorsTests(ConfiguredCorsTests.AnyOriginApiFactory api) : IClassFixture<ConfiguredCorsTests.AnyOriginApiFactory>
{
    [Fact]
    public async Task Given_star_then_any_origin_is_allowed_with_the_configured_max_age_methods_and_headers()
    {
        var response = await api.Anonymous().SendAsync(CorsTests.Preflight("/api/v1/agents/00000000-0000-0000-0000-000000000001", "https://console.example", "PATCH", "x-custom"));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        string.Join(',', response.Headers.GetValues("Access-Control-Allow-Methods")).Split(',').ShouldBe(["GET", "PATCH"], ignoreOrder: true);
        string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant().Split(',').ShouldBe(["authorization", "x-custom"], ignoreOrder: true);
        response.Headers.GetValues("Access-Control-Max-Age").ShouldBe(["600"]);
    }

    [Fact]
    public async Task Given_star_then_a_get_from_any_origin_carries_the_wildcard()
    {
        var response = await api.Admin().SendAsync(CorsTests.Get("/api/v1/agents", "https://console.example"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
    }

    public sealed class AnyOriginApiFactory : BrokkrApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Cors:allowed_origins"] = "*",
            ["Cors:allowed_methods"] = "GET, PATCH",
            ["Cors:allowed_headers"] = "Authorization,X-Custom",
            ["Cors:max_age_seconds"] = "600",
        };
    }
}

public sealed class CorsPolicyTests
{
    [Fact]
    public void Lists_are_split_on_commas_and_trimmed()
    {
        var policy = BrokkrCorsPolicyProvider.FromSettings(new CorsSettings
        {
            AllowedOrigins = " http://a.example , https://b.example:8443,,",
            AllowedMethods = "GET,POST",
            AllowedHeaders = "Authorization, Content-Type",
            MaxAgeSeconds = 90,
        });

        policy.AllowAnyOrigin.ShouldBeFalse();
        policy.Origins.ShouldBe(["http://a.example", "https://b.example:8443"]);
        policy.Methods.ShouldBe(["GET", "POST"]);
        policy.Headers.ShouldBe(["Authorization", "Content-Type"]);
        policy.PreflightMaxAge.ShouldBe(TimeSpan.FromSeconds(90));
        policy.SupportsCredentials.ShouldBeFalse();
    }

    [Fact]
    public void Star_means_any_origin()
    {
        var policy = BrokkrCorsPolicyProvider.FromSettings(new CorsSettings { AllowedOrigins = "http://a.example,*" });

        policy.AllowAnyOrigin.ShouldBeTrue();
        policy.AllowAnyMethod.ShouldBeFalse();
    }

    [Theory]
    [InlineData("/readyz", true)]
    [InlineData("/READYZ", true)]
    [InlineData("/healthz", false)]
    [InlineData("/api/v1/agents", false)]
    public async Task Readyz_alone_is_permissive(string path, bool permissive)
    {
        var provider = new BrokkrCorsPolicyProvider(new BrokkrSettings());
        var context = new DefaultHttpContext();
        context.Request.Path = path;

        var policy = await provider.GetPolicyAsync(context, null);

        policy.ShouldBeSameAs(permissive ? BrokkrCorsPolicyProvider.Permissive : provider.Configured);
        provider.Configured.Origins.ShouldBe(["http://localhost:3001"]);
    }
}
