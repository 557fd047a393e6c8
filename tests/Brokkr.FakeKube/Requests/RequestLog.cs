namespace Brokkr.FakeKube.Requests;

/// <summary>A bounded log of API requests, so tests can assert what a client did (or did not) send.</summary>
internal sealed class RequestLog(int limit)
{
    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _requests = new();
    private long _sequence;

    public RecordedRequest Record(HttpRequest request, DateTimeOffset time)
    {
        lock (_gate)
        {
            var recorded = new RecordedRequest
            {
                Sequence = ++_sequence,
                Time = time,
                Method = request.Method,
                Path = request.Path.Value ?? string.Empty,
                Query = request.QueryString.Value ?? string.Empty,
                ContentType = request.ContentType,
                UserAgent = request.Headers.UserAgent.ToString(),
            };
            _requests.Enqueue(recorded);
            while (_requests.Count > limit)
            {
                _requests.Dequeue();
            }

            return recorded;
        }
    }

    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Since(long sequence)
    {
        lock (_gate)
        {
            return _requests.Where(r => r.Sequence > sequence).ToList();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }
}
