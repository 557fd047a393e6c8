using Brokkr.Host.Observability;

namespace Brokkr.Host.Tests.Observability;

/// <summary>The <c>operation</c> label of the database metrics: the statement's verb, never its text.</summary>
public sealed class SqlVerbTests
{
    [Theory]
    [InlineData("SELECT 1", "select")]
    [InlineData("  select count(*) FROM agents", "select")]
    [InlineData("INSERT INTO agents (name) VALUES ('x')", "insert")]
    [InlineData("UPDATE agents SET last_heartbeat = now()", "update")]
    [InlineData("DELETE FROM audit_logs WHERE id IN (SELECT id FROM audit_logs LIMIT 1)", "delete")]
    [InlineData("-- a comment\n/* another */ SELECT 1", "select")]
    [InlineData("(SELECT 1) UNION (SELECT 2)", "select")]
    [InlineData("WITH due AS (SELECT id FROM work_orders FOR UPDATE SKIP LOCKED) UPDATE work_orders SET status = 'PENDING'", "update")]
    [InlineData("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t", "select")]
    [InlineData("WITH gone AS (DELETE FROM a RETURNING id) INSERT INTO b SELECT id FROM gone", "insert")]
    [InlineData("WITH x AS (SELECT 'delete' AS \"update\") DELETE FROM y", "delete")]
    [InlineData("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET v = 2", "insert")]
    [InlineData("SELECT pg_advisory_xact_lock(7301)", "select")]
    [InlineData("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", "other")]
    [InlineData("SET search_path TO x", "other")]
    [InlineData("LISTEN pak_changed", "other")]
    [InlineData("", "other")]
    [InlineData(null, "other")]
    [InlineData("WITH x AS (SELECT 1)", "other")]
    public void The_operation_is_the_statement_verb(string? sql, string operation) => SqlVerb.Of(sql).ShouldBe(operation);
}
