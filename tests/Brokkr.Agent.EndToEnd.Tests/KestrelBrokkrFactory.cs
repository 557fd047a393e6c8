using Brokkr.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Agent.EndToEnd.Tests;

/// <summary>The real broker on a loopback TCP port (the agent needs a URL, not an in-memory test server).</summary>
public sealed class KestrelBrokkrFactory : BrokkrApiFactory
{
    public KestrelBrokkrFactory() => UseKestrel();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["urls"] = "http://127.0.0.1:0" };

    public Uri Url
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address);
        }
    }
}
