using System.Threading.Channels;

namespace Brokkr.FakeKube.Store;

internal sealed class WatchSubscription(string typeKey, string? ns, Func<StoredObject, bool> filter, Action<WatchSubscription> unsubscribe)
    : IDisposable
{
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    public string TypeKey => typeKey;

    public ChannelReader<WatchEvent> Events => _events.Reader;

    public bool Accepts(WatchEvent e) =>
        e.Object.TypeKey == typeKey && (ns is null || e.Object.Namespace == ns) && filter(e.Object);

    public void Deliver(WatchEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Ends the stream, as the real server does when a watched resource type goes away.</summary>
    public void Close() => _events.Writer.TryComplete();

    public void Dispose()
    {
        unsubscribe(this);
        Close();
    }
}
