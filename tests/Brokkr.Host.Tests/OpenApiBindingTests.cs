using System.Text.Json.Nodes;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Json;
using Brokkr.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Host.Tests;

/// <summary>
/// How the served document describes what binds itself (<see cref="Caller"/>, <see cref="Json{T}"/>)
/// and the scalars with our own converters, on an endpoint added for the test.
/// </summary>
public sealed class OpenApiBindingTests(OpenApiBindingTests.ProbeApiFactory api) : IClassFixture<OpenApiBindingTests.ProbeApiFactory>
{
    [Fact]
    public async Task Given_caller_and_json_body_parameters_then_the_operation_has_only_the_path_parameter_and_a_named_json_body()
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/docs/openapi.json"))!;
        var operation = document["paths"]!["/openapi-probe/{id}"]!["post"]!;

        operation["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldBe(["id"]);
        operation["requestBody"]!["required"]!.GetValue<bool>().ShouldBeTrue();
        operation["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/ProbeBody");
        document.ToJsonString().ShouldNotContain("caller", Case.Insensitive);
    }

    [Fact]
    public async Task Uuids_and_timestamps_are_strings_with_formats_and_nullable_ones_also_null()
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/docs/openapi.json"))!;
        var body = document["components"]!["schemas"]!["ProbeBody"]!["properties"]!;
        var response = document["components"]!["schemas"]!["ProbeResponse"]!["properties"]!;

        body["owner_id"]!.ToJsonString().ShouldBe("""{"type":["null","string"],"format":"uuid"}""");
        body["at"]!.ToJsonString().ShouldBe("""{"type":"string","format":"date-time"}""");
        response["id"]!.ToJsonString().ShouldBe("""{"type":"string","format":"uuid"}""");
        response["at"]!.ToJsonString().ShouldBe("""{"type":["null","string"],"format":"date-time"}""");
    }

    public sealed record ProbeBody(Guid? OwnerId, DateTime At, string Name);

    public sealed record ProbeResponse(Guid Id, Guid? OwnerId, DateTime? At);

    public sealed class ProbeApiFactory : BrokkrApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ProbeEndpoint>());
        }
    }

    private sealed class ProbeEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // UseEndpoints registers the probe with the routing options, where the document generator finds it.
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints
                .MapPost("/api/v1/openapi-probe/{id}", (Guid id, Caller caller, Json<ProbeBody> body)
                    => TypedResults.Ok(new ProbeResponse(id, body.Value.OwnerId, body.Value.At)))
                .WithName("openapi_probe")
                .WithTags("probe"));
            next(app);
        };
    }
}
