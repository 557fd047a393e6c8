using Npgsql;
using NpgsqlTypes;

namespace Brokkr.Host.Jobs;

/// <summary>One run of a maintenance job, as recorded by the replica that ran it.</summary>
internal sealed record JobRun(
    string JobKey,
    DateTime? ScheduledAt,
    DateTime FiredAt,
    TimeSpan Duration,
    bool Succeeded,
    string? Message,
    string Instance,
    bool Manual);

/// <summary>
/// The <c>job_runs</c> table: every replica writes the runs it executes, so any replica's dashboard
/// shows the last outcome. Each insert trims that job's history to the newest <see cref="JobsSettings.RunsPerJob"/>.
/// </summary>
internal sealed class JobRuns(NpgsqlDataSource dataSource, JobsSettings settings)
{
    public const int MaxMessageLength = 2000;

    private const string InsertSql = """
        INSERT INTO job_runs (job_key, scheduled_at, fired_at, duration_ms, outcome, message, instance, manual)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
        """;

    private const string TrimSql = """
        DELETE FROM job_runs
        WHERE job_key = $1
          AND id <= (SELECT id FROM job_runs WHERE job_key = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)
        """;

    private const string LatestSql = """
        SELECT DISTINCT ON (job_key) job_key, scheduled_at, fired_at, duration_ms, outcome, message, instance, manual
        FROM job_runs
        ORDER BY job_key, id DESC
        """;

    public async Task RecordAsync(JobRun run, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand(InsertSql);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.JobKey });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)run.ScheduledAt ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = run.FiredAt });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)Math.Max(0, run.Duration.TotalMilliseconds) });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Succeeded ? "ok" : "error" });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)Clip(run.Message) ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Instance });
        insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = run.Manual });
        batch.BatchCommands.Add(insert);
        var trim = new NpgsqlBatchCommand(TrimSql);
        trim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.JobKey });
        trim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.RunsPerJob });
        batch.BatchCommands.Add(trim);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest run of every job that has one, by job key.</summary>
    public async Task<IReadOnlyDictionary<string, JobRun>> LatestAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LatestSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new Dictionary<string, JobRun>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var run = new JobRun(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTime>(1),
                reader.GetFieldValue<DateTime>(2),
                TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                reader.GetString(4) == "ok",
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6),
                reader.GetBoolean(7));
            runs[run.JobKey] = run;
        }

        return runs;
    }

    private static string? Clip(string? message)
        => message is null || message.Length <= MaxMessageLength ? message : message[..(MaxMessageLength - 1)] + "…";
}
