using System.Net;
using Brokkr.Testing;

namespace Brokkr.Host.Tests.Admin;

/// <summary><c>BROKKR_CONFIG_FILE</c> ending in <c>.json</c>: the same sections and keys, reloaded the same way.</summary>
public sealed class ConfigJsonFileTests(ConfigJsonFileTests.JsonFileFactory api) : IClassFixture<ConfigJsonFileTests.JsonFileFactory>
{
    private const string Url = "/api/v1/admin/config/reload";

    [Fact]
    public async Task A_json_file_is_read_at_start_and_again_on_reload()
    {
        var at = await api.Anonymous().SendAsync(CorsTests.Preflight("/api/v1/agents", "http://localhost:3001", "GET", "authorization"));
        at.Headers.GetValues("Access-Control-Max-Age").ShouldBe(["1800"]);

        api.Replace("""{"cors": {"max_age_seconds": 99}, "broker": {"diagnostic_max_age_hours": 2}}""");
        var response = await (await api.Admin().PostAsync(Url, null)).JsonAsync(HttpStatusCode.OK);

        response["changes"]!.AsArray().Select(c => c!.Str("key")).ShouldBe(["cors.max_age_seconds", "broker.diagnostic_max_age_hours"]);
        var after = await api.Anonymous().SendAsync(CorsTests.Preflight("/api/v1/agents", "http://localhost:3001", "GET", "authorization"));
        after.Headers.GetValues("Access-Control-Max-Age").ShouldBe(["99"]);
    }

    [Fact]
    public async Task A_json_file_that_does_not_parse_is_422()
    {
        api.Replace("""{"cors": {"max_age_seconds": 5""");

        await (await api.Admin().PostAsync(Url, null)).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_configuration");

        api.Replace("""{"cors": {"max_age_seconds": 1800}}""");
    }

    public sealed class JsonFileFactory() : ConfigFileFactory("brokkr.json", """{"cors": {"max_age_seconds": 1800}}""");
}
