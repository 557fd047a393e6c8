using System.Reflection;
using System.Runtime.CompilerServices;

namespace Brokkr.Architecture.Tests;

/// <summary>
/// Module types are internal by default. A module makes public only what the Host, the module's
/// tests and the wire need to name, never its machinery:
/// <list type="bullet">
/// <item>static classes: the module entry point (<c>AddStacksModule</c> on <c>StacksModule</c>) and the
/// one-file use cases (<c>CreateStack</c>), whose Handler, Validator and Endpoint stay internal;</item>
/// <item>messages and data: records (wire DTOs such as <c>Stack</c>, nested Request/Response records),
/// enums, and types nested in a use case named Request, Query, Command, Response, Result or Body.</item>
/// </list>
/// Public plain classes, structs and interfaces (rows, DataConnections, handlers, jobs, services) are
/// refused. Data is allowed because it carries no behaviour another module could come to depend on,
/// and the module boundary itself is enforced by <see cref="ModuleBoundaryTests"/>; a type several
/// modules need belongs in Brokkr.Contracts or Brokkr.Shared.
/// </summary>
public sealed class ModuleVisibilityTests
{
    private static readonly HashSet<string> MessageNames = new(StringComparer.Ordinal) { "Request", "Query", "Command", "Response", "Result", "Body" };

    [Fact]
    public void Public_module_types_are_entry_points_use_cases_or_their_messages()
    {
        var violations = ModuleProject.All
            .SelectMany(module => module.Load().GetTypes())
            .Where(IsVisibleOutside)
            .Where(type => !IsAllowedPublic(type))
            .Select(type => $"{type.FullName} is public; make it internal (only static classes, records, enums and use-case messages may be public)")
            .ToList();

        violations.ShouldBeEmpty(string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Module_classes_are_sealed_unless_static_or_abstract()
    {
        var violations = ModuleProject.All
            .SelectMany(module => module.Load().GetTypes())
            .Where(type => type.IsClass && !type.IsSealed && !type.IsAbstract && !IsCompilerGenerated(type))
            .Select(type => $"{type.FullName} is not sealed")
            .ToList();

        violations.ShouldBeEmpty(string.Join(Environment.NewLine, violations));
    }

    private static bool IsVisibleOutside(Type type)
        => type.IsPublic || (type.IsNestedPublic && IsVisibleOutside(type.DeclaringType!));

    private static bool IsAllowedPublic(Type type)
        => IsStatic(type)
            || type.IsEnum
            || IsRecord(type)
            || (type.IsNested && IsStatic(type.DeclaringType!) && MessageNames.Contains(type.Name));

    private static bool IsStatic(Type type) => type.IsClass && type.IsAbstract && type.IsSealed;

    // The compiler gives every record class and record struct a PrintMembers method.
    private static bool IsRecord(Type type)
        => type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, [typeof(System.Text.StringBuilder)]) is not null;

    private static bool IsCompilerGenerated(Type type)
        => type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || type.Name.Contains('<', StringComparison.Ordinal);
}
