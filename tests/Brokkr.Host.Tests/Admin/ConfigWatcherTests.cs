using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Host.Configuration;
using Brokkr.Shared.Configuration;
using Brokkr.Testing;
using Brokkr.Testing.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Host.Tests.Admin;

/// <summary>The file watcher (behaviour §12.1): a replaced file is reloaded after a quiet spell, without any request.</summary>
public sealed class ConfigWatcherTests(ConfigWatcherTests.WatchedFileFactory api) : IClassFixture<ConfigWatcherTests.WatchedFileFactory>
{
    [Fact]
    public async Task A_file_replaced_as_editors_and_config_maps_do_is_reloaded_and_audited_as_system()
    {
        var settings = api.Services.GetRequiredService<BrokkrSettings>();
        settings.Cors.MaxAgeSeconds.ShouldBe(3600);

        api.Replace(ConfigFileFactory.InitialToml.Replace("max_age_seconds = 3600", "max_age_seconds = 77", StringComparison.Ordinal));

        await EventuallyAsync(() => settings.Cors.MaxAgeSeconds == 77);
        var preflight = await api.Anonymous().SendAsync(CorsTests.Preflight("/api/v1/agents", "http://localhost:3001", "GET", "authorization"));
        preflight.Headers.GetValues("Access-Control-Max-Age").ShouldBe(["77"]);
        // The entry is written just after the settings are applied.
        JsonNode? entry = null;
        await EventuallyAsync(() =>
        {
            var logs = api.Admin().GetAsync("/api/v1/admin/audit-logs?action=config.reloaded").GetAwaiter().GetResult().Content.ReadAsStringAsync().GetAwaiter().GetResult();
            entry = JsonNode.Parse(logs)!["logs"]!.AsArray().FirstOrDefault(l => l!["details"]!["changes"]!.AsArray().Any(c => c!.Str("new_value") == "77"));
            return entry is not null;
        });
        entry!.Str("actor_type").ShouldBe("system");
        entry!["actor_id"].ShouldBeNull();
    }

    [Fact]
    public async Task A_file_written_in_place_is_reloaded_too()
    {
        var settings = api.Services.GetRequiredService<BrokkrSettings>();

        await File.WriteAllTextAsync(api.FilePath, ConfigFileFactory.InitialToml.Replace("level = \"warn\"", "level = \"error\"", StringComparison.Ordinal));

        await EventuallyAsync(() => settings.Log.Level == "error");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    public void The_watcher_is_on_unless_set_to_false_or_0(string? value, bool enabled)
        => ConfigFileWatcher.Enabled(value).ShouldBe(enabled);

    [Theory]
    [InlineData(null, 5)]
    [InlineData("2", 2)]
    [InlineData("0.5", 0.5)]
    [InlineData("soon", 5)]
    [InlineData("-1", 5)]
    public void The_debounce_defaults_to_5_seconds(string? value, double seconds)
        => ConfigFileWatcher.Debounce(value).ShouldBe(TimeSpan.FromSeconds(seconds));

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The watcher did not reload the file within 20 s");
            }

            await Task.Delay(100);
        }
    }

    public sealed class WatchedFileFactory : ConfigFileFactory
    {
        protected override bool Watch => true;
    }
}
