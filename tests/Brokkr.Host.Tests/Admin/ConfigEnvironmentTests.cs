using System.Net;
using Brokkr.Testing;
using Brokkr.Testing.Support;

namespace Brokkr.Host.Tests.Admin;

/// <summary>Environment variables override the file, at start and at every reload, exactly as at start (behaviour §12.1, §13).</summary>
[Collection(nameof(ProcessWide))]
public sealed class ConfigEnvironmentTests(ConfigFileFactory api) : IClassFixture<ConfigFileFactory>
{
    private const string Variable = "BROKKR__CORS__MAX_AGE_SECONDS";

    [Fact]
    public async Task A_setting_given_by_the_environment_wins_over_the_file_on_reload()
    {
        try
        {
            Environment.SetEnvironmentVariable(Variable, "45");
            api.Replace(ConfigFileFactory.InitialToml.Replace("max_age_seconds = 3600", "max_age_seconds = 90", StringComparison.Ordinal)
                .Replace("level = \"warn\"", "level = \"info\"", StringComparison.Ordinal));

            var response = await (await api.Admin().PostAsync("/api/v1/admin/config/reload", null)).JsonAsync(HttpStatusCode.OK);

            response["changes"]!.AsArray().Select(c => (c!.Str("key"), c!.Str("new_value"))).ShouldBe([("log.level", "info"), ("cors.max_age_seconds", "45")]);
            var preflight = await api.Anonymous().SendAsync(CorsTests.Preflight("/api/v1/agents", "http://localhost:3001", "GET", "authorization"));
            preflight.Headers.GetValues("Access-Control-Max-Age").ShouldBe(["45"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }

        var restored = await (await api.Admin().PostAsync("/api/v1/admin/config/reload", null)).JsonAsync(HttpStatusCode.OK);
        restored["changes"]!.AsArray().Select(c => (c!.Str("key"), c!.Str("new_value"))).ShouldBe([("cors.max_age_seconds", "90")]);
    }
}
