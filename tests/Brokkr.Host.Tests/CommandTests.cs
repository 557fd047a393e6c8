using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Brokkr.Host.Commands;
using Brokkr.Host.Data;
using Brokkr.Shared.Auth;
using Brokkr.Testing;
using Npgsql;

namespace Brokkr.Host.Tests;

public sealed partial class CommandTests
{
    [Fact]
    public async Task Generate_pak_prints_a_well_formed_pak_and_the_sha256_of_its_long_token()
    {
        var (code, output, _) = await RunAsync("generate-pak");

        code.ShouldBe(0);
        var (pak, hash) = ParsePakAndHash(output);
        PakSyntax().IsMatch(pak).ShouldBeTrue(pak);
        var longToken = pak.Split('_')[2];
        longToken.Length.ShouldBeGreaterThanOrEqualTo(30);
        hash.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(longToken))));
        Pak.TryParseHeader($"Bearer {pak}", out _, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Generate_pak_mints_a_different_pak_each_time()
    {
        var first = ParsePakAndHash((await RunAsync("generate-pak")).Output);
        var second = ParsePakAndHash((await RunAsync("generate-pak")).Output);

        second.Pak.ShouldNotBe(first.Pak);
        second.Hash.ShouldNotBe(first.Hash);
    }

    [Fact]
    public async Task Generate_pak_runs_through_the_program_entry_point_without_a_database()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Brokkr.Host.dll"));
        start.ArgumentList.Add("generate-pak");
        start.Environment["BROKKR__DATABASE__URL"] = "postgres://nobody@127.0.0.1:1/none";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.ShouldBe(0, error);
        PakSyntax().IsMatch(ParsePakAndHash(output).Pak).ShouldBeTrue(output);
    }

    [Fact]
    public async Task Migrate_applies_every_migration_to_an_empty_database_and_is_idempotent()
    {
        var database = await TestDatabase.CreateEmptyAsync();
        try
        {
            var first = await RunAsync("migrate", $"--Database:Url={database}");
            first.Code.ShouldBe(0, first.Error);
            var second = await RunAsync("migrate", $"--Database:Url={database}");
            second.Code.ShouldBe(0, second.Error);

            (await ScalarAsync<long>(database, "SELECT count(*) FROM schema_migrations"))
                .ShouldBe(Migrator.Scripts(Migrator.Sources).Count);
            (await ScalarAsync<bool>(database, "SELECT to_regclass('admin_role') IS NOT NULL")).ShouldBeTrue();
            (await ScalarAsync<bool>(database, "SELECT to_regclass('qrtz_triggers') IS NOT NULL AND to_regclass('job_runs') IS NOT NULL")).ShouldBeTrue();
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Rotate_admin_without_a_configured_hash_mints_a_new_pak_each_time_and_writes_it_owner_only()
    {
        var database = await TestDatabase.CreateEmptyAsync();
        var file = Path.Combine(Path.GetTempPath(), $"brokkr-admin-pak-{Guid.NewGuid():N}");
        try
        {
            var first = await RunAsync("rotate", "admin", $"--Database:Url={database}", $"--Broker:admin_pak_file={file}");
            first.Code.ShouldBe(0, first.Error);
            var firstPak = AdminPak(first.Output);
            (await File.ReadAllTextAsync(file)).Trim().ShouldBe(firstPak);
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            (await ScalarAsync<string>(database, "SELECT pak_hash FROM admin_role")).ShouldBe(HashOf(firstPak));

            var second = await RunAsync("rotate", "admin", $"--Database:Url={database}", $"--Broker:admin_pak_file={file}");
            second.Code.ShouldBe(0, second.Error);
            var secondPak = AdminPak(second.Output);

            secondPak.ShouldNotBe(firstPak);
            (await ScalarAsync<long>(database, "SELECT count(*) FROM admin_role")).ShouldBe(1);
            (await ScalarAsync<string>(database, "SELECT pak_hash FROM admin_role")).ShouldBe(HashOf(secondPak));
        }
        finally
        {
            File.Delete(file);
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Rotate_admin_with_a_configured_hash_applies_it_and_prints_no_pak()
    {
        var database = await TestDatabase.CreateEmptyAsync();
        var configured = Pak.Generate();
        try
        {
            var result = await RunAsync("rotate", "admin", $"--Database:Url={database}", $"--Broker:pak_hash={configured.Hash}");

            result.Code.ShouldBe(0, result.Error);
            result.Output.ShouldNotContain("brokkr_");
            result.Output.ShouldContain(configured.Hash);
            (await ScalarAsync<string>(database, "SELECT pak_hash FROM admin_role")).ShouldBe(configured.Hash);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Given_an_invalid_configured_hash_then_rotate_admin_fails_with_a_message()
    {
        var database = await TestDatabase.CreateEmptyAsync();
        try
        {
            var result = await RunAsync("rotate", "admin", $"--Database:Url={database}", "--Broker:pak_hash=not-a-hash");

            result.Code.ShouldBe(1);
            result.Error.ShouldStartWith("error: broker.pak_hash must be 64 hexadecimal characters");
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Given_an_unreachable_database_then_migrate_fails_with_a_message()
    {
        var result = await RunAsync("migrate", "--Database:Url=postgres://nobody@127.0.0.1:1/none");

        result.Code.ShouldBe(1);
        result.Error.ShouldStartWith("error: cannot reach the database");
    }

    [Theory]
    [InlineData("migrate", "stray")]
    [InlineData("rotate", "agent")]
    [InlineData("rotate", "agent", "not-a-uuid")]
    [InlineData("rotate", "generator", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "--uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6")]
    [InlineData("create", "agent", "--name", "a")]
    [InlineData("create", "agent", "--name", "a", "--cluster-name", "c", "--generator-ids", "x,y")]
    public async Task Given_bad_arguments_then_the_command_fails_before_touching_anything(params string[] args)
    {
        var result = await RunAsync(args);

        result.Code.ShouldNotBe(0);
        result.Error.ShouldNotBeNullOrWhiteSpace();
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BrokkrCommands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static (string Pak, string Hash) ParsePakAndHash(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var pak = lines.Single(l => l.StartsWith("PAK:", StringComparison.Ordinal))[4..].Trim();
        var hash = lines.Single(l => l.StartsWith("Hash:", StringComparison.Ordinal))[5..].Trim();
        return (pak, hash);
    }

    private static string AdminPak(string output)
        => output.Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith("Admin PAK:", StringComparison.Ordinal))[10..].Trim();

    private static string HashOf(string pak)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pak.Split('_')[2])));

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex("^brokkr_BR[1-9A-HJ-NP-Za-km-z]{6}_[1-9A-HJ-NP-Za-km-z]+$")]
    private static partial Regex PakSyntax();
}

/// <summary>A broker running on its own database while a host command changes the admin PAK beside it.</summary>
public sealed class CommandRotationTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_a_running_broker_then_rotate_admin_from_the_command_line_revokes_the_cached_admin_pak_at_once()
    {
        (await api.Admin().PostAsync("/api/v1/auth/pak", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var replacement = Pak.Generate();

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BrokkrCommands.RunAsync(
            ["rotate", "admin", $"--Database:Url={api.ConnectionString}", $"--Broker:pak_hash={replacement.Hash}"], output, error);

        code.ShouldBe(0, error.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode old;
        do
        {
            old = (await api.Admin().PostAsync("/api/v1/auth/pak", null)).StatusCode;
            if (old == HttpStatusCode.Unauthorized)
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        old.ShouldBe(HttpStatusCode.Unauthorized, "the admin PAK cached by the broker outlived its rotation");
        (await api.WithPak(replacement.Value).PostAsync("/api/v1/auth/pak", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
