namespace Brokkr.Shared.Auth;

/// <summary>
/// Endpoint metadata: a WebSocket upgrade to this endpoint without an Authorization header may
/// carry the PAK as the subprotocol <c>brokkr.pak.&lt;PAK&gt;</c> (browsers cannot set headers on a
/// WebSocket). The server never echoes that subprotocol, only <see cref="Marker"/>.
/// </summary>
public sealed class PakFromWebSocketSubprotocol
{
    public const string Prefix = "brokkr.pak.";
    public const string Marker = "brokkr.v1";

    public static readonly PakFromWebSocketSubprotocol Instance = new();

    private PakFromWebSocketSubprotocol()
    {
    }
}
