using System.Diagnostics;
using Mediator;

namespace Brokkr.Host.Api;

internal sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return await next(message, cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            return await next(message, cancellationToken);
        }
        finally
        {
            logger.LogDebug("Handled {Message} in {ElapsedMs} ms", typeof(TMessage).FullName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
