using Brokkr.Auth.Features;
using Mediator;

namespace Brokkr.Host.Data;

internal static class Bootstrap
{
    public static async Task<BootstrapAdmin.Result> BootstrapAsync(this IServiceProvider services, CancellationToken cancellationToken, bool rotate = false)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new BootstrapAdmin.Command(rotate), cancellationToken);
        if (result.MintedPak is not null)
        {
            Console.WriteLine();
            Console.WriteLine("==================================================================");
            Console.WriteLine(" Admin PAK (shown once; also in the admin PAK file, mode 0600):");
            Console.WriteLine($"   {result.MintedPak}");
            Console.WriteLine("==================================================================");
            Console.WriteLine();
        }

        return result;
    }
}
