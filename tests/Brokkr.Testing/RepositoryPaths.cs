namespace Brokkr.Testing;

/// <summary>Where the checkout and the shared reference material are, found from the test's own location.</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding Brokkr.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The reference material (brokkr-v1.openapi.json and the behaviour files): <c>BROKKR_REFERENCE_DIR</c>,
    /// or <c>shared/reference</c> beside the checkout, as CI lays it out.
    /// </summary>
    public static string ReferenceDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("BROKKR_REFERENCE_DIR");
            var directory = string.IsNullOrWhiteSpace(configured)
                ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "reference"))
                : configured;
            return Directory.Exists(directory)
                ? directory
                : throw new DirectoryNotFoundException(
                    $"The reference material is not at {directory}: put the shared folder beside the checkout or set BROKKR_REFERENCE_DIR.");
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Brokkr.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Brokkr.sln above {AppContext.BaseDirectory}.");
    }
}
