using Brokkr.Testing;
using NetArchTest.Rules;

namespace Brokkr.Architecture.Tests;

/// <summary>
/// Modules never reference each other (ADR 0003): what crosses a boundary is a Brokkr.Contracts
/// message sent through the mediator, or a read-only view owned by the reading module.
/// </summary>
public sealed class ModuleBoundaryTests
{
    [Fact]
    public void There_are_modules_to_check() => ModuleProject.All.Count.ShouldBeGreaterThan(1);

    [Fact]
    public void Module_projects_reference_no_other_module_project_and_not_the_host()
    {
        var modules = ModuleProject.All.ToDictionary(m => Path.GetFullPath(m.ProjectPath), StringComparer.Ordinal);
        var host = Path.Combine(RepositoryPaths.Root, "Host") + Path.DirectorySeparatorChar;
        var violations = ModuleProject.All
            .SelectMany(module => module.ProjectReferences()
                .Where(reference => modules.ContainsKey(reference) || reference.StartsWith(host, StringComparison.Ordinal))
                .Select(reference => $"{module} references {Path.GetFileNameWithoutExtension(reference)}"))
            .ToList();

        violations.ShouldBeEmpty(string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Module_assemblies_reference_no_other_module_assembly()
    {
        var names = ModuleProject.All.Select(m => m.AssemblyName).ToHashSet(StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var module in ModuleProject.All)
        {
            var assembly = module.Load();
            violations.AddRange(assembly.GetReferencedAssemblies()
                .Where(reference => reference.Name != module.AssemblyName && names.Contains(reference.Name!))
                .Select(reference => $"{module} references the assembly {reference.Name}"));

            // A module's namespaces are its assembly name and below.
            var others = ModuleProject.All.Where(m => m != module).Select(m => m.AssemblyName).ToArray();
            var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(others).GetResult();
            violations.AddRange((result.FailingTypeNames ?? []).Select(type => $"{type} uses a type of another module"));
        }

        violations.ShouldBeEmpty(string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_module_is_composed_by_the_host()
    {
        var hostReferences = typeof(Program).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

        ModuleProject.All.Where(m => !hostReferences.Contains(m.AssemblyName)).Select(m => m.AssemblyName).ShouldBeEmpty(
            "every module must be referenced and registered by the Host (ModuleRegistry), or its migrations and handlers never run");
    }
}
