using LinqToDB;
using LinqToDB.Data;

namespace Brokkr.Shared.Data;

/// <summary>
/// The request's one connection, shared by every module so that one use case is one transaction.
/// Modules wrap it in their own typed accessor exposing only their tables.
/// </summary>
public sealed class BrokkrDb(DataOptions options) : DataConnection(options);
