using System.Text.RegularExpressions;
using Brokkr.Testing;

namespace Brokkr.Architecture.Tests;

/// <summary>
/// Migrations are per-module SQL files applied in the order of their names across all modules
/// (ADR 0004), so a number may be used once in the whole broker, and a file must be embedded to run.
/// The Host has migrations too (the scheduler's tables, ADR 0014), in the same global order.
/// </summary>
public sealed partial class MigrationTests
{
    private static readonly ModuleProject Host = new("Brokkr.Host", Path.Combine(RepositoryPaths.Root, "Host", "Brokkr.Host", "Brokkr.Host.csproj"));

    private static readonly IReadOnlyList<(ModuleProject Module, string File)> Files = ModuleProject.All.Append(Host)
        .SelectMany(module => Directory.Exists(Path.Combine(module.Directory, "Migrations"))
            ? Directory.GetFiles(Path.Combine(module.Directory, "Migrations")).Select(path => (module, Path.GetFileName(path)))
            : [])
        .ToList();

    [Fact]
    public void Migration_files_are_sql_files_named_with_a_four_digit_number()
    {
        Files.ShouldNotBeEmpty();
        Files.Where(f => !MigrationName().IsMatch(f.File))
            .Select(f => $"{f.Module}/Migrations/{f.File} should be named NNNN_snake_case.sql")
            .ShouldBeEmpty();
    }

    [Fact]
    public void Migration_numbers_and_names_are_unique_across_modules()
    {
        var clashes = Files
            .GroupBy(f => f.File[..Math.Min(4, f.File.Length)])
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} is used by {string.Join(" and ", g.Select(f => $"{f.Module}/Migrations/{f.File}"))}")
            .Concat(Files.GroupBy(f => f.File, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"{g.Key} exists more than once"))
            .ToList();

        clashes.ShouldBeEmpty(string.Join(Environment.NewLine, clashes));
    }

    [Fact]
    public void Every_migration_file_is_embedded_in_its_module_assembly()
    {
        var missing = Files
            .Where(f => !f.Module.Load().GetManifestResourceNames().Any(name => name.EndsWith(".Migrations." + f.File, StringComparison.Ordinal)))
            .Select(f => $"{f.Module}/Migrations/{f.File} is not an embedded resource (EmbeddedResource Include=\"Migrations/*.sql\")")
            .ToList();

        missing.ShouldBeEmpty(string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void The_migrator_applies_the_scripts_of_every_module_and_of_the_host_in_file_name_order()
    {
        var scripts = Brokkr.Host.Data.Migrator.Scripts(Brokkr.Host.Data.Migrator.Sources).Select(s => s.Name).ToList();

        scripts.ShouldBe(Files.Select(f => f.File).Order(StringComparer.Ordinal).ToList());
        scripts.ShouldContain("0900_quartz.sql");
        scripts.ShouldContain("0901_job_runs.sql");
    }

    [GeneratedRegex("^[0-9]{4}_[a-z0-9_]+\\.sql$")]
    private static partial Regex MigrationName();
}
