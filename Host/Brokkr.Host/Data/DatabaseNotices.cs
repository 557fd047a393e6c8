using System.Data.Common;
using Brokkr.Shared.Data;
using LinqToDB.Interceptors;
using Npgsql;

namespace Brokkr.Host.Data;

/// <summary>Hands the NOTICEs of every connection linq2db opens to the modules' observers.</summary>
internal sealed class DatabaseNotices(IEnumerable<IDatabaseNoticeObserver> observers) : IConnectionInterceptor
{
    private readonly IDatabaseNoticeObserver[] _observers = [.. observers];

    public void ConnectionOpening(ConnectionEventData eventData, DbConnection connection)
    {
    }

    public Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
        => Task.CompletedTask;

    public void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Attach(connection);

    public Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        Attach(connection);
        return Task.CompletedTask;
    }

    private void Attach(DbConnection connection)
    {
        if (_observers.Length > 0 && connection is NpgsqlConnection npgsql)
        {
            npgsql.Notice += (_, e) =>
            {
                foreach (var observer in _observers)
                {
                    observer.OnNotice(e.Notice.MessageText);
                }
            };
        }
    }
}
