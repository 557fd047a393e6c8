using System.Data;
using System.Data.Common;
using System.Diagnostics;
using LinqToDB.Common;
using LinqToDB.Interceptors;
using Prometheus;

namespace Brokkr.Host.Observability;

/// <summary>
/// <c>brokkr_database_queries_total{operation}</c> and <c>brokkr_database_query_duration_seconds{operation}</c>
/// for every command the modules send through linq2db (<c>BrokkrDb</c>), labelled by the statement's SQL verb
/// (<c>select</c>, <c>insert</c>, <c>update</c>, <c>delete</c> or <c>other</c>), never by its text. The
/// interceptor runs the command itself to time it; a reader is timed until it is returned (the statement's
/// execution), not while the caller reads it. Failed commands are counted too.
/// </summary>
internal sealed class DatabaseMetrics : ICommandInterceptor
{
    private static readonly Counter Queries = Metrics.CreateCounter(
        "brokkr_database_queries_total", "Database statements sent by the broker, by SQL verb", ["operation"]);

    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "brokkr_database_query_duration_seconds", "Database statement execution time in seconds, by SQL verb", new HistogramConfiguration
        {
            LabelNames = ["operation"],
            Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    public DbCommand CommandInitialized(CommandEventData eventData, DbCommand command) => command;

    public Option<object?> ExecuteScalar(CommandEventData eventData, DbCommand command, Option<object?> result)
        => result.HasValue ? result : Option<object?>.Some(Timed(command, () => command.ExecuteScalar()));

    public async Task<Option<object?>> ExecuteScalarAsync(CommandEventData eventData, DbCommand command, Option<object?> result, CancellationToken cancellationToken)
        => result.HasValue ? result : Option<object?>.Some(await TimedAsync(command, () => command.ExecuteScalarAsync(cancellationToken)));

    public Option<int> ExecuteNonQuery(CommandEventData eventData, DbCommand command, Option<int> result)
        => result.HasValue ? result : Option<int>.Some(Timed(command, command.ExecuteNonQuery));

    public async Task<Option<int>> ExecuteNonQueryAsync(CommandEventData eventData, DbCommand command, Option<int> result, CancellationToken cancellationToken)
        => result.HasValue ? result : Option<int>.Some(await TimedAsync(command, () => command.ExecuteNonQueryAsync(cancellationToken)));

    public Option<DbDataReader> ExecuteReader(CommandEventData eventData, DbCommand command, CommandBehavior commandBehavior, Option<DbDataReader> result)
        => result.HasValue ? result : Option<DbDataReader>.Some(Timed(command, () => command.ExecuteReader(commandBehavior)));

    public async Task<Option<DbDataReader>> ExecuteReaderAsync(CommandEventData eventData, DbCommand command, CommandBehavior commandBehavior, Option<DbDataReader> result, CancellationToken cancellationToken)
        => result.HasValue ? result : Option<DbDataReader>.Some(await TimedAsync(command, () => command.ExecuteReaderAsync(commandBehavior, cancellationToken)));

    public void AfterExecuteReader(CommandEventData eventData, DbCommand command, CommandBehavior commandBehavior, DbDataReader dataReader)
    {
    }

    public void BeforeReaderDispose(CommandEventData eventData, DbCommand? command, DbDataReader dataReader)
    {
    }

    public Task BeforeReaderDisposeAsync(CommandEventData eventData, DbCommand? command, DbDataReader dataReader) => Task.CompletedTask;

    private static T Timed<T>(DbCommand command, Func<T> execute)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return execute();
        }
        finally
        {
            Record(command, started);
        }
    }

    private static async Task<T> TimedAsync<T>(DbCommand command, Func<Task<T>> execute)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await execute();
        }
        finally
        {
            Record(command, started);
        }
    }

    private static void Record(DbCommand command, long started)
    {
        var operation = SqlVerb.Of(command.CommandText);
        Queries.WithLabels(operation).Inc();
        Duration.WithLabels(operation).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
