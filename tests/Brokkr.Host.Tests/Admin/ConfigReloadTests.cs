using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Shared.Configuration;
using Brokkr.Testing;
using Brokkr.Testing.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;

namespace Brokkr.Host.Tests.Admin;

/// <summary>
/// <c>POST /admin/config/reload</c> (behaviour §3.10, §12.1): the file is read again and the dynamic settings
/// really take effect. Each test writes the whole file it needs, so the order of the tests does not matter.
/// </summary>
public sealed class ConfigReloadTests(ConfigFileFactory api) : IClassFixture<ConfigFileFactory>
{
    private const string Url = "/api/v1/admin/config/reload";
    private const string Console = "https://console.example";

    private async Task<JsonNode> ReloadAsync(string? toml = null)
    {
        if (toml is not null)
        {
            api.Replace(toml);
        }

        return await (await api.Admin().PostAsync(Url, null)).JsonAsync(HttpStatusCode.OK);
    }

    private static List<(string Key, string Old, string New)> Changes(JsonNode response)
        => response["changes"]!.AsArray().Select(c => (c!.Str("key"), c!.Str("old_value"), c!.Str("new_value"))).ToList();

    [Fact]
    public async Task A_reload_that_changes_cors_origins_and_max_age_changes_what_browsers_are_told()
    {
        await ReloadAsync(ConfigFileFactory.InitialToml);
        var before = await api.Anonymous().SendAsync(CorsTests.Preflight("/api/v1/agents", Console, "GET", "authorization"));
        before.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();

        var response = await ReloadAsync("""
            [log]
            level = "warn"
            [cors]
            allowed_origins = ["https://console.example", "https://other.example"]
            allowed_methods = "GET,PATCH"
            max_age_seconds = 60
            [broker]
            diagnostic_cleanup_interval_seconds = 900
            """);

        Changes(response).ShouldBe(
        [
            ("cors.allowed_origins", "http://localhost:3001", "https://console.example,https://other.example"),
            ("cors.allowed_methods", "GET,POST,PUT,DELETE,OPTIONS", "GET,PATCH"),
            ("cors.max_age_seconds", "3600", "60"),
        ]);
        var preflight = await api.Anonymous().SendAsync(CorsTests.Preflight("/api/v1/agents", Console, "PATCH", "authorization"));
        preflight.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        preflight.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Console]);
        preflight.Headers.GetValues("Access-Control-Max-Age").ShouldBe(["60"]);
        string.Join(',', preflight.Headers.GetValues("Access-Control-Allow-Methods")).Split(',').ShouldBe(["GET", "PATCH"], ignoreOrder: true);
        var old = await api.Admin().SendAsync(CorsTests.Get("/api/v1/agents", "http://localhost:3001"));
        old.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();

        await ReloadAsync(ConfigFileFactory.InitialToml);
        (await api.Admin().SendAsync(CorsTests.Get("/api/v1/agents", "http://localhost:3001"))).Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["http://localhost:3001"]);
    }

    [Fact]
    public async Task A_reload_that_changes_the_log_level_changes_what_is_logged()
    {
        await ReloadAsync(ConfigFileFactory.InitialToml);
        var logger = api.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Brokkr.Test");
        logger.IsEnabled(LogLevel.Debug).ShouldBeFalse();
        logger.IsEnabled(LogLevel.Warning).ShouldBeTrue();

        var response = await ReloadAsync(ConfigFileFactory.InitialToml.Replace("level = \"warn\"", "level = \"debug\"", StringComparison.Ordinal));

        Changes(response).ShouldBe([("log.level", "warn", "debug")]);
        api.Services.GetRequiredService<LoggingLevelSwitch>().MinimumLevel.ShouldBe(LogEventLevel.Debug);
        logger.IsEnabled(LogLevel.Debug).ShouldBeTrue();
        api.Services.GetRequiredService<BrokkrSettings>().Log.Level.ShouldBe("debug");

        await ReloadAsync(ConfigFileFactory.InitialToml);
        logger.IsEnabled(LogLevel.Debug).ShouldBeFalse();
    }

    [Fact]
    public async Task A_reload_applies_the_job_settings_to_the_live_settings_and_leaves_static_ones_alone()
    {
        await ReloadAsync(ConfigFileFactory.InitialToml);
        var settings = api.Services.GetRequiredService<BrokkrSettings>();
        var databaseUrl = settings.Database.Url;

        var response = await ReloadAsync(ConfigFileFactory.InitialToml + """

            diagnostic_max_age_hours = 6
            webhook_delivery_interval_seconds = 15
            webhook_delivery_batch_size = 10
            webhook_cleanup_retention_days = 3
            audit_log_retention_days = 1
            [database]
            url = "postgres://elsewhere:5432/other"
            """);

        Changes(response).Select(c => c.Key).ShouldBe(
        [
            "broker.webhook_delivery_interval_seconds", "broker.webhook_delivery_batch_size", "broker.webhook_cleanup_retention_days",
            "broker.diagnostic_max_age_hours",
        ]);
        settings.Broker.DiagnosticMaxAgeHours.ShouldBe(6);
        settings.Broker.WebhookDeliveryIntervalSeconds.ShouldBe(15);
        settings.Broker.WebhookDeliveryBatchSize.ShouldBe(10);
        settings.Broker.WebhookCleanupRetentionDays.ShouldBe(3);
        settings.Broker.AuditLogRetentionDays.ShouldBe(90);
        settings.Database.Url.ShouldBe(databaseUrl);
        await ReloadAsync(ConfigFileFactory.InitialToml);
        settings.Broker.DiagnosticMaxAgeHours.ShouldBe(1);
    }

    [Fact]
    public async Task A_reload_without_changes_says_so()
    {
        await ReloadAsync(ConfigFileFactory.InitialToml);

        var response = await ReloadAsync();

        response.ShouldHaveExactKeys("reloaded_at", "changes", "success", "message");
        response["changes"]!.AsArray().ShouldBeEmpty();
        response["success"]!.GetValue<bool>().ShouldBeTrue();
        response.Str("message").ShouldBe("No changes detected");
        response.Timestamp("reloaded_at").ShouldBe(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        response.Str("reloaded_at").ShouldEndWith("Z");
    }

    [Fact]
    public async Task A_reload_is_audited_with_its_changes()
    {
        await ReloadAsync(ConfigFileFactory.InitialToml);

        var response = await ReloadAsync(ConfigFileFactory.InitialToml.Replace("max_age_seconds = 3600", "max_age_seconds = 120", StringComparison.Ordinal));

        response.Str("message").ShouldBe("1 setting(s) updated");
        var entry = (await (await api.Admin().GetAsync("/api/v1/admin/audit-logs?action=config.reloaded&limit=1")).JsonAsync(HttpStatusCode.OK))["logs"]![0]!;
        entry.Str("actor_type").ShouldBe("admin");
        entry["actor_id"].ShouldBeNull();
        entry.Str("resource_type").ShouldBe("config");
        entry["resource_id"].ShouldBeNull();
        JsonNode.DeepEquals(entry["details"], JsonNode.Parse("""{"changes":[{"key":"cors.max_age_seconds","old_value":"3600","new_value":"120"}]}""")).ShouldBeTrue(entry["details"]!.ToJsonString());
        await ReloadAsync(ConfigFileFactory.InitialToml);
    }

    [Theory]
    [InlineData("[cors\nmax_age_seconds = 60")]
    [InlineData("[cors]\nmax_age_seconds = \"sixty\"\n[log]\nlevel = \"debug\"")]
    public async Task A_file_that_cannot_be_read_is_422_and_changes_nothing(string toml)
    {
        await ReloadAsync(ConfigFileFactory.InitialToml);
        var audited = await AuditCountAsync();

        api.Replace(toml);
        var failure = await (await api.Admin().PostAsync(Url, null)).ShouldFailAsync(HttpStatusCode.UnprocessableEntity, "invalid_configuration");

        failure.Str("message").ShouldContain("nothing was changed");
        var settings = api.Services.GetRequiredService<BrokkrSettings>();
        settings.Log.Level.ShouldBe("warn");
        settings.Cors.MaxAgeSeconds.ShouldBe(3600);
        (await AuditCountAsync()).ShouldBe(audited);
        (await ReloadAsync(ConfigFileFactory.InitialToml))["changes"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Only_admin_may_reload()
    {
        var scenario = new Scenario(api);
        var agent = await scenario.AgentAsync();
        var generator = await scenario.GeneratorAsync();

        await (await api.Anonymous().PostAsync(Url, null)).ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await api.WithPak(agent.Pak).PostAsync(Url, null)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
        await (await api.WithPak(generator.Pak).PostAsync(Url, null)).ShouldFailAsync(HttpStatusCode.Forbidden, "admin_required");
    }

    [Fact]
    public async Task The_operation_is_documented_with_the_reference_id_and_tag()
    {
        var document = await (await api.Anonymous().GetAsync("/docs/openapi.json")).JsonAsync(HttpStatusCode.OK);

        var operation = document["paths"]!["/admin/config/reload"]!["post"]!;
        operation.Str("operationId").ShouldBe("reload_config");
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["Admin"]);
        var schemas = document["components"]!["schemas"]!.AsObject();
        schemas["ConfigReloadResponse"]!["properties"]!.AsObject().Select(p => p.Key).ShouldBe(["reloaded_at", "changes", "success", "message"], ignoreOrder: true);
        schemas.ContainsKey("ConfigChangeInfo").ShouldBeTrue();
    }

    private async Task<long> AuditCountAsync()
        => (await (await api.Admin().GetAsync("/api/v1/admin/audit-logs?action=config.reloaded")).JsonAsync(HttpStatusCode.OK))["total"]!.GetValue<long>();
}
