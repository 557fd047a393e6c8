using Brokkr.Shared.Data;
using Mediator;

namespace Brokkr.Host.Api;

/// <summary>A command and everything it publishes commit together or not at all.</summary>
internal sealed class TransactionBehavior<TMessage, TResponse>(BrokkrDb db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (db.Transaction is not null)
        {
            return await next(message, cancellationToken);
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var response = await next(message, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return response;
    }
}
