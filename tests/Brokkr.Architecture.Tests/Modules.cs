using System.Reflection;
using System.Xml.Linq;
using Brokkr.Testing;

namespace Brokkr.Architecture.Tests;

/// <summary>A feature module as the checkout has it: Modules/&lt;Name&gt;/&lt;Name&gt;.csproj and the assembly it builds.</summary>
internal sealed record ModuleProject(string AssemblyName, string ProjectPath)
{
    public static IReadOnlyList<ModuleProject> All { get; } = System.IO.Directory
        .GetFiles(Path.Combine(RepositoryPaths.Root, "Modules"), "*.csproj", SearchOption.AllDirectories)
        .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
        .Order(StringComparer.Ordinal)
        .Select(path => new ModuleProject(
            XDocument.Load(path).Descendants("AssemblyName").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(path),
            path))
        .ToList();

    public string Directory => Path.GetDirectoryName(ProjectPath)!;

    public Assembly Load() => Assembly.Load(new AssemblyName(AssemblyName));

    public IEnumerable<string> ProjectReferences()
        => XDocument.Load(ProjectPath).Descendants("ProjectReference")
            .Select(reference => reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))
            .Select(include => Path.GetFullPath(Path.Combine(Directory, include)));

    public override string ToString() => AssemblyName;
}
